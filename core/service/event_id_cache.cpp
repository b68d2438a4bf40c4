#include "core/service/event_id_cache.hpp"

namespace tribune {

std::optional<event_info> event_id_cache::find(std::string_view slug) const {
    std::lock_guard lock(mutex_);
    auto it = events_.find(slug);
    if (it == events_.end()) return std::nullopt;
    return it->second;
}

result<event_info> event_id_cache::find_or_load(const std::string& slug, event_store& store) {
    if (auto known = find(slug)) return *std::move(known);
    auto ev = store.find_event(slug);
    if (!ev) return ev;
    std::lock_guard lock(mutex_);
    if (events_.size() >= capacity_) events_.clear();
    events_.insert_or_assign(slug, *ev);
    return ev;
}

std::size_t event_id_cache::size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

}  // namespace tribune

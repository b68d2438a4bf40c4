#include "core/service/token_cache.hpp"

namespace tribune {

std::optional<principal> token_cache::find(std::string_view secret, clock::time_point now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(secret);
    if (it == entries_.end() || now >= it->second.until) return std::nullopt;
    return it->second.who;
}

void token_cache::remember(std::string_view secret, const principal& who, clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_) entries_.clear();
    entries_.insert_or_assign(std::string(secret), entry{who, now + ttl_});
}

void token_cache::forget_all() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

std::size_t token_cache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace tribune

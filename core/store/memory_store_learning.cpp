// memory_store as a learning_store (kept apart from memory_store.cpp, which holds the rest).

#include "core/store/memory_store.hpp"

namespace tribune {

result<std::vector<label_decision>> memory_store::label_decisions(std::int64_t event_id,
                                                                  std::int64_t after_decision,
                                                                  std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::vector<label_decision> out;
    for (const decision_record& d : decisions_) {  // ascending ids
        if (out.size() >= limit) break;
        if (d.id <= after_decision || d.actor == "triage" || !is_label_action(d.action)) continue;
        auto q = questions_.find(d.question_id);
        if (q == questions_.end() || q->second.q.event_id != event_id) continue;
        out.push_back({d.id, d.question_id, q->second.q.cluster_id, d.action, q->second.q.text});
    }
    return out;
}

result<std::int64_t> memory_store::last_decision_id() {
    std::lock_guard lock(mutex_);
    return decisions_.empty() ? std::int64_t{0} : decisions_.back().id;
}

result<learning_reset> memory_store::get_learning_reset(std::int64_t event_id) {
    std::lock_guard lock(mutex_);
    if (events_.count(event_id) == 0)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    auto it = learning_resets_.find(event_id);
    return it == learning_resets_.end() ? learning_reset{} : it->second;
}

status memory_store::save_learning_reset(std::int64_t event_id, const learning_reset& r) {
    std::lock_guard lock(mutex_);
    if (events_.count(event_id) == 0)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    learning_resets_[event_id] = r;
    return status::ok();
}

}  // namespace tribune

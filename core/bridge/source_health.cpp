#include "core/bridge/source_health.hpp"

namespace tribune {

void source_health::connecting(std::int64_t id) {
    std::lock_guard lock(mutex_);
    entry& e = entries_[id];
    e.s.source_id = id;
    e.s.state = "connecting";
    e.s.transport.clear();
}

void source_health::connected(std::int64_t id, const std::string& transport, timestamp_ms now) {
    std::lock_guard lock(mutex_);
    entry& e = entries_[id];
    e.s.source_id = id;
    e.s.state = "connected";
    e.s.transport = transport;
    e.s.connected_since = now;
    e.s.consecutive_failures = 0;
    e.s.next_attempt_at = 0;
}

void source_health::failed(std::int64_t id, const std::string& error, timestamp_ms now,
                           timestamp_ms retry_at) {
    std::lock_guard lock(mutex_);
    entry& e = entries_[id];
    e.s.source_id = id;
    e.s.state = "backing_off";
    e.s.transport.clear();
    e.s.connected_since = 0;
    ++e.s.errors;
    ++e.s.consecutive_failures;
    e.s.last_error = error;
    e.s.last_error_at = now;
    e.s.next_attempt_at = retry_at;
}

void source_health::posted(std::int64_t id, timestamp_ms now) {
    std::lock_guard lock(mutex_);
    entry& e = entries_[id];
    e.s.source_id = id;
    ++e.s.posts;
    e.s.last_post_at = now;
    const std::int64_t second = now / 1000;
    const std::size_t slot = static_cast<std::size_t>(second % 60);
    if (e.second_of[slot] != second) {
        e.second_of[slot] = second;
        e.per_second[slot] = 0;
    }
    ++e.per_second[slot];
}

void source_health::skipped(std::int64_t id, const std::string& why, timestamp_ms now) {
    std::lock_guard lock(mutex_);
    entry& e = entries_[id];
    e.s.source_id = id;
    ++e.s.skipped;
    e.s.last_error = why;
    e.s.last_error_at = now;
}

void source_health::idle(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.s.state = "idle";
    it->second.s.transport.clear();
    it->second.s.connected_since = 0;
    it->second.s.next_attempt_at = 0;
}

void source_health::forget(std::int64_t id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
}

source_health_snapshot source_health::read(const entry& e, timestamp_ms now) {
    source_health_snapshot s = e.s;
    const std::int64_t second = now / 1000;
    s.posts_last_minute = 0;
    for (std::size_t i = 0; i < 60; ++i)
        if (second - e.second_of[i] < 60) s.posts_last_minute += e.per_second[i];
    return s;
}

std::optional<source_health_snapshot> source_health::get(std::int64_t id, timestamp_ms now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    return read(it->second, now);
}

std::vector<source_health_snapshot> source_health::all(timestamp_ms now) const {
    std::lock_guard lock(mutex_);
    std::vector<source_health_snapshot> out;
    for (const auto& [id, e] : entries_) out.push_back(read(e, now));
    return out;
}

}  // namespace tribune

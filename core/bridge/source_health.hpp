#pragma once
// source_health: how each running source is doing (issue 16) — connected or not, over which
// transport, the last post, posts per minute, errors — written by the bridges, read by the
// API (docs/api.md "Sources"), the dashboard and /metrics.
//
// Thread safety: every method may be called from any thread (one mutex; each call is short).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"

namespace tribune {

struct source_health_snapshot {
    std::int64_t source_id = 0;
    // idle (not started, or paused) | connecting | connected | backing_off (after a failure)
    std::string state = "idle";
    std::string transport;  // websocket | sse | jetstream | "" while not connected
    timestamp_ms connected_since = 0;
    timestamp_ms last_post_at = 0;  // when the last post was ingested; 0: none yet
    std::int64_t posts = 0;         // ingested since the server started
    std::int64_t posts_last_minute = 0;
    std::int64_t skipped = 0;  // malformed or refused posts, logged and skipped
    std::int64_t errors = 0;   // failed connections and dropped streams
    std::int64_t consecutive_failures = 0;
    std::string last_error;
    timestamp_ms last_error_at = 0;
    timestamp_ms next_attempt_at = 0;  // while backing_off
};

class source_health {
public:
    void connecting(std::int64_t id);
    void connected(std::int64_t id, const std::string& transport, timestamp_ms now);
    // A failure: the source waits `retry_at` before its next attempt.
    void failed(std::int64_t id, const std::string& error, timestamp_ms now, timestamp_ms retry_at);
    void posted(std::int64_t id, timestamp_ms now);
    void skipped(std::int64_t id, const std::string& why, timestamp_ms now);
    // Not running (paused or deleted): the state goes back to idle, counters stay.
    void idle(std::int64_t id);
    void forget(std::int64_t id);

    std::optional<source_health_snapshot> get(std::int64_t id, timestamp_ms now) const;
    std::vector<source_health_snapshot> all(timestamp_ms now) const;

private:
    struct entry {
        source_health_snapshot s;
        std::array<std::int64_t, 60> per_second{};  // posts in each second of the last minute
        std::array<std::int64_t, 60> second_of{};   // which second each slot counts
    };
    static source_health_snapshot read(const entry& e, timestamp_ms now);

    mutable std::mutex mutex_;
    std::map<std::int64_t, entry> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune

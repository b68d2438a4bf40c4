#pragma once
// cursor_tracker: where a bridge may resume (issue 16). Posts are submitted in the order they
// arrive and committed asynchronously; the stored cursor must never pass a post that was
// submitted but not yet committed, or a crash would skip it. The safe cursor is the highest
// finished position below every position still in flight. Positions are Mastodon status ids
// or Jetstream time_us, both increasing integers. A position reported twice (a replay after
// a reconnect) is counted once in flight.
//
// Thread safety: none; the owner serialises calls (the bridge keeps it under its mutex).

#include <cstdint>
#include <map>
#include <optional>
#include <set>

namespace tribune {

class cursor_tracker {
public:
    // Starts from a stored cursor (empty: none yet).
    explicit cursor_tracker(std::optional<std::int64_t> start = std::nullopt) : safe_(start) {}

    void submitted(std::int64_t pos) { ++in_flight_[pos]; }
    // The post at `pos` is committed, or was given up (an invalid post, skipped for good).
    void finished(std::int64_t pos) {
        auto it = in_flight_.find(pos);
        if (it != in_flight_.end() && --it->second == 0) in_flight_.erase(it);
        done_.insert(pos);
        advance();
    }
    // The highest position that is safe to resume after; empty before any.
    std::optional<std::int64_t> safe() const { return safe_; }
    std::size_t in_flight() const { return in_flight_.size(); }

private:
    void advance() {
        const bool none = in_flight_.empty();
        const std::int64_t limit = none ? 0 : in_flight_.begin()->first;
        while (!done_.empty() && (none || *done_.begin() < limit)) {
            const std::int64_t p = *done_.begin();
            if (!safe_ || p > *safe_) safe_ = p;
            done_.erase(done_.begin());
        }
    }

    std::map<std::int64_t, int> in_flight_;  // position -> submissions not finished
    std::set<std::int64_t> done_;            // finished, not yet below every one in flight
    std::optional<std::int64_t> safe_;
};

}  // namespace tribune

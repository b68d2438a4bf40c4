#pragma once
// arrival_counter: how many questions an event received during the last minute, for the
// live stream's activity message (docs/api.md "Live stream"). A fixed ring of one-second
// buckets: memory is constant however many questions arrive, and a bucket older than the
// window is recycled when its second comes round again.
//
// "The last minute" is the current (partial) second and the 59 seconds before it, so a
// count drops by a whole bucket once per second.
//
// Thread safety: none; the hub guards each event's counter with its mutex. Time is passed
// in, so the counter is deterministic under test.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace tribune::server {

class arrival_counter {
public:
    using clock = std::chrono::steady_clock;
    static constexpr std::size_t window_seconds = 60;

    arrival_counter();

    // One question arrived at `now`. REQUIRES: `now` not earlier than any previous call's
    // (a steady clock).
    void add(clock::time_point now);
    // Arrivals within the window that ends at `now`.
    std::uint64_t count(clock::time_point now) const;

private:
    std::array<std::uint64_t, window_seconds> counts_{};
    std::array<std::int64_t, window_seconds> seconds_{};  // the clock second each bucket holds
};

}  // namespace tribune::server

#include "server/live/arrival_counter.hpp"

#include <limits>

namespace tribune::server {
namespace {

std::int64_t second_of(arrival_counter::clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::size_t slot_of(std::int64_t second) {
    const auto n = static_cast<std::int64_t>(arrival_counter::window_seconds);
    return static_cast<std::size_t>(((second % n) + n) % n);
}

}  // namespace

arrival_counter::arrival_counter() {
    // No bucket holds a second yet: none is inside any window.
    seconds_.fill(std::numeric_limits<std::int64_t>::min());
}

void arrival_counter::add(clock::time_point now) {
    const std::int64_t second = second_of(now);
    const std::size_t i = slot_of(second);
    if (seconds_[i] != second) {
        seconds_[i] = second;
        counts_[i] = 0;
    }
    ++counts_[i];
}

std::uint64_t arrival_counter::count(clock::time_point now) const {
    const std::int64_t second = second_of(now);
    const std::int64_t oldest = second - static_cast<std::int64_t>(window_seconds) + 1;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < window_seconds; ++i)
        if (seconds_[i] >= oldest && seconds_[i] <= second) total += counts_[i];
    return total;
}

}  // namespace tribune::server

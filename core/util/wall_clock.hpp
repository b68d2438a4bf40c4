#pragma once
// wall_clock_ms: the current time as the domain stores it, milliseconds since the Unix epoch.
//
// Thread safety: safe from any thread.

#include <chrono>
#include <cstdint>

namespace tribune {

inline std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace tribune

#pragma once
// Numbers on the wire are rounded to a few decimals, so answers stay short and a value reads the
// same in every request. Pure functions; thread-safe.

#include <cmath>

namespace tribune::server {

// `v` rounded to `digits` decimals (0..6), half away from zero.
inline double to_decimals(double v, int digits) {
    static constexpr double scale[] = {1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6};
    const double s = scale[digits < 0 ? 0 : (digits > 6 ? 6 : digits)];
    return std::round(v * s) / s;
}

}  // namespace tribune::server

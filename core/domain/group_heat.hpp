#pragma once
// group_heat: how fast a near-duplicate group is growing, as one number that orders groups the
// same at any moment (the `sort=impact` order's second key, after the members in review).
//
// Each arrival at time t counts 2^(t / half-life): an arrival ten minutes ago counts half of
// one now. The heat is log2 of the sum over the group's members, in thousandths. Two groups'
// heats compare like their arrival rates decayed to any common moment (a difference of 1,000
// is twice the recent arrivals), so the key needs no refresh as time passes; it grows by about
// 1,000 per half-life for every group, and only differences mean anything.
//
// Thread safety: pure functions.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/domain/question.hpp"

namespace tribune {

inline constexpr timestamp_ms heat_half_life_ms = 10 * 60 * 1000;

// The heat of one arrival at `t`.
constexpr std::int64_t arrival_heat(timestamp_ms t) { return t * 1000 / heat_half_life_ms; }

// The heat after adding an arrival of heat `arrival` to a group of heat `heat`:
// log2(2^a + 2^b) in thousandths, rounded.
inline std::int64_t add_heat(std::int64_t heat, std::int64_t arrival) {
    const std::int64_t hi = std::max(heat, arrival);
    const double gap = static_cast<double>(hi - std::min(heat, arrival)) / 1000.0;
    if (gap > 60.0) return hi;  // the smaller adds less than a thousandth
    return hi + std::llround(1000.0 * std::log2(1.0 + std::exp2(-gap)));
}

}  // namespace tribune

#pragma once
// mix64: splitmix64's finaliser, a fast bijective 64-bit mix. The hashes of near-duplicate
// grouping are built from it; changing it changes every band key.
//
// Thread safety: a pure function.

#include <cstdint>

namespace tribune {

constexpr std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace tribune

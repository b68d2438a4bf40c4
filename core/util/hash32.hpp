#pragma once
// hash32: the 32-bit hashes of the classifiers' hashed features (text_features,
// question_features): FNV-1a over bytes and a final avalanche (mix32) so that the low bits
// of similar strings differ (buckets use the low bits). Changing either changes every
// trained model's buckets: retrain after.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string_view>

namespace tribune {

inline constexpr std::uint32_t fnv32_offset = 2166136261u;
inline constexpr std::uint32_t fnv32_prime = 16777619u;

constexpr std::uint32_t fnv32(std::uint32_t h, unsigned char b) { return (h ^ b) * fnv32_prime; }

constexpr std::uint32_t fnv32(std::uint32_t h, std::string_view s) {
    for (char c : s) h = fnv32(h, static_cast<unsigned char>(c));
    return h;
}

constexpr std::uint32_t mix32(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    h *= 0x846ca68bU;
    h ^= h >> 16;
    return h;
}

}  // namespace tribune

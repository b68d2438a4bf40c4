#pragma once
// packed_word_set: a constant set of short words (at most 8 bytes each), each packed into
// one 64-bit integer and looked up by binary search over integers: string comparisons were
// a quarter of classify() when the language detector used them. Shared by the language
// detector (function words) and the feature extractor (negation cues).
//
// Thread safety: immutable; constexpr-constructed; contains() is safe from any thread.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tribune {

// The packed form of `w`: its first 8 bytes, little-endian (only words of at most 8 bytes
// are in any set, so a longer word never matches through contains()).
constexpr std::uint64_t packed_word(std::string_view w) {
    std::uint64_t k = 0;
    for (std::size_t i = 0; i < w.size() && i < 8; ++i) k |= std::uint64_t{static_cast<unsigned char>(w[i])} << (8 * i);
    return k;
}

template <std::size_t N>
class packed_word_set {
public:
    // REQUIRES: every word has at most 8 bytes (checked at compile time when constexpr).
    constexpr explicit packed_word_set(const std::array<std::string_view, N>& words) {
        for (std::size_t i = 0; i < N; ++i) {
            if (words[i].size() > 8) throw "packed_word_set: a word is longer than 8 bytes";
            keys_[i] = packed_word(words[i]);
        }
        std::sort(keys_.begin(), keys_.end());
    }

    bool contains_key(std::uint64_t k) const { return std::binary_search(keys_.begin(), keys_.end(), k); }
    bool contains(std::string_view w) const { return w.size() <= 8 && contains_key(packed_word(w)); }

private:
    std::array<std::uint64_t, N> keys_{};
};

}  // namespace tribune

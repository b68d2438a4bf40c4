#pragma once
// text_normalizer: folds obfuscated social text to a canonical form before scoring
// and word-list matching, and keeps a map back to the original offsets.
//
// What it folds: case; accents (é -> e); homoglyphs (Cyrillic/Greek letters that look
// Latin); zero-width and other invisible characters (removed); l33t digits and symbols
// inside words (f*ck, sh1t, @ss); letters separated by single spaces or punctuation
// (f u c k, f.u.c.k -> fuck); runs of a repeated letter (fuuuuck -> fuck, at most two
// kept); whitespace runs to one space.
//
// Thread safety: normalize() is a pure function; safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace tribune {

struct normalized_text {
    // The canonical form, UTF-8.
    std::string text;
    // For output code point i of `text`: the original code point range [start[i], end[i])
    // it came from. Offsets count code points of the input. Both vectors have one entry
    // per code point of `text`.
    std::vector<std::size_t> start;
    std::vector<std::size_t> end;
    // Number of code points in the input.
    std::size_t original_length = 0;

    // Maps a code point range [a, b) of `text` back to the original text.
    // REQUIRES: a < b <= number of code points of text.
    std::pair<std::size_t, std::size_t> to_original(std::size_t a, std::size_t b) const {
        return {start[a], end[b - 1]};
    }
};

// Errors: invalid_argument with code "invalid_utf8" when the input is not valid UTF-8.
result<normalized_text> normalize(std::string_view utf8);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, no code point > U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace tribune

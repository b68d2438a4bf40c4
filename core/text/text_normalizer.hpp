#pragma once
// text_normalizer: folds obfuscated social text to a canonical form before scoring
// and word-list matching, and keeps a map back to the original offsets.
//
// Thread safety: normalize() and the helpers are pure functions; safe from any thread.
//
// THE CONTRACT (the model is trained on this output and the word lists match on it, so
// any change here means retraining; steps apply in this order):
//  1. Decode. Invalid UTF-8 (overlong forms, surrogates, > U+10FFFF, truncated or stray
//     continuation bytes) is an error, code "invalid_utf8".
//  2. Per code point:
//     - removed: zero-width and invisible characters (U+200B..U+200F, U+2060..U+2064,
//       U+FEFF, soft hyphen, bidi controls, tags, other format and control characters);
//       combining marks and variation selectors are removed too and their offsets are
//       given to the preceding output code point ("e" + U+0301 maps to both);
//     - every Unicode space, tab and newline becomes one ' '; runs of them become one
//       ' '; leading and trailing spaces are trimmed;
//     - case folded and diacritics stripped, Unicode-aware: é -> e, Ç -> c, œ -> oe,
//       æ -> ae, ß -> ss, ø -> o, ł -> l; Greek and Cyrillic are lowercased (Σ -> σ);
//       compatibility forms fold to ASCII: fullwidth ｆ -> f, 𝐟 -> f, ⓕ -> f, ﬁ -> fi,
//       ² -> 2; typographic quotes and dashes fold to ' " - .
//  3. Homoglyphs, per word (a word is a maximal run of letters, digits and @ $ ! * # %):
//     Cyrillic and Greek letters that look Latin (а е о р с х у і ѕ, ο α ν κ ...) become
//     that Latin letter when the word also has a Latin letter, or when every non-Latin
//     letter of the word has a Latin look-alike. Real Russian or Greek words keep their
//     script ("привет" stays, "сука" hidden in "fuсk" does not).
//  4. Spaced letters: three or more single letters separated by the same separator
//     (one to three of ' ' . - _ * ~) are joined: "f u c k", "f.u.c.k", "f-u-c-k" ->
//     "fuck". Not joined when fewer than two of the letters are other than a, i, y, o,
//     so "il y a à" and "I am a cat" are untouched.
//  5. L33t, per word containing at least one letter and no digit other than 0 1 3 4 5 7:
//     0->o 1->i 3->e 4->a 5->s 7->t @->a $->s, and ! -> i only between letters; a 1
//     next to another 1 reads as l ("ki11", "he11" -> kill, hell).
//     A digit run before the first letter converts ("5hit"), inside the word converts
//     ("sh1t"), after the last letter converts only when the word had another
//     conversion or the run is >= 2 digits after at most 2 letters ("a55" -> ass,
//     "mp3", "win10" unchanged). Words that are a number with a unit ("1st", "4th",
//     "10am", "5g", "$5k") are unchanged.
//     Masking symbols * # % between letters of a word become '*', a wildcard letter
//     ("f*ck", "f#ck" -> "f*ck"); the model sees it as a character and word lists let it
//     stand for one letter. Masks at a word's edge ("*sigh*") stay as they are.
//  6. Elongation: a run of three or more of the same letter is cut to two ("fuuuuck" ->
//     "fuuck", "cooool" -> "cool"); the second kept letter maps to the rest of the run,
//     so end[i] - start[i] > 1 on a doubled letter marks an elongation (word lists use
//     that to let the double stand for one letter). Digits and punctuation are kept.
//
// Cost: about 18,000 instructions for 280 characters of English; measured 1.5 µs
// (English), 1.9 µs (French), 2.4 µs (heavily obfuscated, 196 characters) per call on the
// shared 2-core dev VM (bench/normalizer_bench.cpp). Per call it allocates only the
// result; scratch space is per thread and reused.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/status.hpp"
#include "core/text/utf8.hpp"  // is_valid_utf8, decode_utf8

namespace tribune {

struct normalized_text {
    // The canonical form, UTF-8.
    std::string text;
    // For output code point i of `text`: the original code point range [start[i], end[i])
    // it came from. Offsets count code points of the input. Both vectors have one entry
    // per code point of `text`. Several output code points may share one range (œ -> oe);
    // removed input code points belong to no output code point.
    std::vector<std::size_t> start;
    std::vector<std::size_t> end;
    // Number of code points in the input.
    std::size_t original_length = 0;

    // Number of code points in `text`.
    std::size_t size() const { return start.size(); }

    // Maps a code point range [a, b) of `text` back to the original text.
    // REQUIRES: a < b <= size().
    std::pair<std::size_t, std::size_t> to_original(std::size_t a, std::size_t b) const {
        return {start[a], end[b - 1]};
    }
};

// Errors: invalid_argument with code "invalid_utf8" when the input is not valid UTF-8;
// invalid_argument "text_too_long" for inputs of 4 GiB or more.
result<normalized_text> normalize(std::string_view utf8);

// True when `cp`, a code point of normalize()'s output, is a letter or digit, i.e. part
// of a word. The wildcard '*' is not; callers treat it as a letter when it sits between
// word characters (that is the only place normalize() leaves a mask symbol in a word).
bool is_word_code_point(char32_t cp);

// True when normalize(s) would give the empty text: `s` is nothing but whitespace and
// invisible characters (Unicode ones included). False for text that is not valid UTF-8.
// Cheaper than normalize(): one pass over the code point classes, no allocation.
bool is_blank(std::string_view s);

}  // namespace tribune

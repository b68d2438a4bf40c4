#pragma once
// sentence_splitter: cuts a text into sentences for per-span scores (Perspective API reports
// span offsets in UTF-16 code units: utf16_length() in core/text/utf8.hpp).
//
// A sentence ends after a run of '.', '!', '?' or '…' followed by whitespace, or at a line
// break; the whitespace between sentences belongs to neither. "What kind of idiot name is
// foo? Sorry, I like your name." gives [0, 31) and [32, 56).
//
// Thread safety: pure functions.

#include <cstddef>
#include <string_view>
#include <vector>

namespace tribune {

// A part of a text, in bytes of its UTF-8: [begin, end).
struct byte_range {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// The sentences of `text` (valid UTF-8), in order; none for a blank text.
std::vector<byte_range> split_sentences(std::string_view text);

}  // namespace tribune

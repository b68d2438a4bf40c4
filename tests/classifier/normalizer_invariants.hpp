#pragma once
// Properties normalize(), is_blank() and word_list::match() must hold for any input; shared by the
// randomized test (normalizer_random_test.cpp) and the libFuzzer entry
// (normalizer_fuzz.cpp). Returns an empty string when they hold, else what broke.
//
// Thread safety: pure functions.

#include <string>
#include <string_view>

#include "core/text/text_normalizer.hpp"
#include "core/text/word_list.hpp"

namespace tribune::testing {

inline std::string check_normalizer_invariants(std::string_view input, const word_list& list) {
    auto r = normalize(input);
    const bool valid = is_valid_utf8(input);
    if (!r.is_ok()) {
        if (valid) return "valid input rejected: " + r.error().code();
        if (r.error().code() != "invalid_utf8") return "wrong error code " + r.error().code();
        if (list.match(input).is_ok()) return "match accepted invalid UTF-8";
        if (is_blank(input)) return "is_blank true for invalid UTF-8";
        return {};
    }
    if (!valid) return "invalid input accepted";
    const normalized_text& n = *r;
    if (!is_valid_utf8(n.text)) return "output is not valid UTF-8";
    if (is_blank(input) != n.text.empty()) return "is_blank disagrees with normalize";
    const std::u32string out = decode_utf8(n.text);
    if (n.original_length != decode_utf8(input).size()) return "original_length wrong";
    if (n.start.size() != out.size() || n.end.size() != out.size()) return "map size wrong";
    if (n.size() != out.size()) return "size() wrong";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (n.start[i] >= n.end[i]) return "empty range at " + std::to_string(i);
        if (n.end[i] > n.original_length) return "range past the end at " + std::to_string(i);
        if (i > 0 && n.start[i] < n.start[i - 1]) return "ranges out of order";
        if (out[i] >= 'A' && out[i] <= 'Z') return "capital letter in output";
        if (out[i] == '\t' || out[i] == '\n' || out[i] == 0x200B || out[i] == 0xFEFF)
            return "whitespace or invisible left in output";
    }
    if (!out.empty() && (out.front() == ' ' || out.back() == ' ')) return "not trimmed";
    if (n.text.find("  ") != std::string::npos) return "double space";
    for (std::size_t i = 2; i < out.size(); ++i)
        if (out[i] == out[i - 1] && out[i] == out[i - 2] && is_word_code_point(out[i]) &&
            !(out[i] >= '0' && out[i] <= '9'))
            return "elongation of three letters left";
    const auto matches = list.match(n);
    for (const word_match& m : matches)
        if (m.start >= m.end || m.end > n.original_length) return "match span out of bounds";
    return {};
}

}  // namespace tribune::testing

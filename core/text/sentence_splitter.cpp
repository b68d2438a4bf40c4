#include "core/text/sentence_splitter.hpp"

#include <algorithm>

namespace tribune {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

bool is_break(unsigned char c) { return c == '\n' || c == '\r'; }

// Length of a sentence-final mark at `i`: '.', '!', '?' (1 byte) or '…' (U+2026, 3 bytes).
std::size_t final_mark(std::string_view t, std::size_t i) {
    const char c = t[i];
    if (c == '.' || c == '!' || c == '?') return 1;
    if (t.substr(i, 3) == "\xE2\x80\xA6") return 3;
    return 0;
}

}  // namespace

std::vector<byte_range> split_sentences(std::string_view text) {
    std::vector<byte_range> out;
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        while (i < n && is_space(static_cast<unsigned char>(text[i]))) ++i;
        if (i >= n) break;
        const std::size_t begin = i;
        std::size_t end = n;
        while (i < n) {
            if (is_break(static_cast<unsigned char>(text[i]))) {
                end = i;
                break;
            }
            std::size_t m = final_mark(text, i);
            if (m == 0) {
                ++i;
                continue;
            }
            i += m;
            while (i < n && (m = final_mark(text, i)) != 0) i += m;  // "?!", "..."
            if (i >= n || is_space(static_cast<unsigned char>(text[i]))) {
                end = i;
                break;
            }
        }
        if (i >= n) end = n;
        // Trailing spaces before a line break are not part of the sentence.
        while (end > begin && is_space(static_cast<unsigned char>(text[end - 1]))) --end;
        out.push_back({begin, end});
        i = std::max(i, end);
    }
    return out;
}

}  // namespace tribune

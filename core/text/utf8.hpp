#pragma once
// utf8: decoding and encoding UTF-8, the one strict decoder of core/ (no overlong forms, no
// surrogates, nothing above U+10FFFF, no truncated or stray continuation bytes).
//
// Thread safety: pure functions.

#include <cstddef>
#include <string>
#include <string_view>

namespace tribune {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, no code point > U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes UTF-8 to code points. REQUIRES: is_valid_utf8(s).
std::u32string decode_utf8(std::string_view s);

// The number of code points of valid UTF-8 (bytes that are not continuation bytes).
inline std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// The number of UTF-16 code units of valid UTF-8: a code point above U+FFFF (a 4-byte
// sequence) counts 2, the unit in which Perspective API counts span offsets.
inline std::size_t utf16_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) == 0x80 ? 0 : c >= 0xF0 ? 2 : 1;
    return n;
}

namespace utf8 {

// Decodes one code point at s[i]. Returns the number of bytes, or 0 when invalid.
inline std::size_t decode_one(const unsigned char* s, std::size_t n, std::size_t i,
                              char32_t& cp) {
    const unsigned char b0 = s[i];
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if (b0 < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
    if (b0 < 0xE0) {
        if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return 0;
        cp = (char32_t(b0 & 0x1F) << 6) | (s[i + 1] & 0x3F);
        return 2;
    }
    if (b0 < 0xF0) {
        if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
        cp = (char32_t(b0 & 0x0F) << 12) | (char32_t(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        if (cp < 0x800) return 0;                    // overlong
        if (cp >= 0xD800 && cp <= 0xDFFF) return 0;  // surrogate
        return 3;
    }
    if (b0 < 0xF5) {
        if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
            (s[i + 3] & 0xC0) != 0x80)
            return 0;
        cp = (char32_t(b0 & 0x07) << 18) | (char32_t(s[i + 1] & 0x3F) << 12) |
             (char32_t(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
        if (cp < 0x10000 || cp > 0x10FFFF) return 0;  // overlong or out of range
        return 4;
    }
    return 0;
}

// Writes cp at `out` (room for 4 bytes); returns the number of bytes.
inline std::size_t encode_utf8(char* out, char32_t cp) {
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

}  // namespace utf8
}  // namespace tribune

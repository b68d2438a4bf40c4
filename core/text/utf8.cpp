#include "core/text/utf8.hpp"

namespace tribune {

bool is_valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = utf8::decode_one(p, n, i, cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::u32string decode_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        char32_t cp = 0;
        const std::size_t len = utf8::decode_one(p, s.size(), i, cp);
        if (len == 0) {  // precondition violated: skip the byte rather than loop forever
            ++i;
            continue;
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

}  // namespace tribune

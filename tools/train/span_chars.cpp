#include "tools/train/span_chars.hpp"

#include <algorithm>

namespace tribune::train {

std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        char32_t cp = len == 1 ? b : (b & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F));
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::set<std::size_t> predicted_chars(const std::vector<std::pair<std::size_t, std::size_t>>& spans,
                                      const std::vector<char32_t>& original) {
    std::set<std::size_t> out;
    auto sorted = spans;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        for (std::size_t c = sorted[i].first; c < sorted[i].second; ++c) out.insert(c);
        if (i + 1 < sorted.size() && sorted[i + 1].first > sorted[i].second) {
            bool blank = true;
            for (std::size_t c = sorted[i].second; c < sorted[i + 1].first && c < original.size(); ++c)
                if (original[c] != U' ') blank = false;
            if (blank)
                for (std::size_t c = sorted[i].second; c < sorted[i + 1].first; ++c) out.insert(c);
        }
    }
    return out;
}

}  // namespace tribune::train

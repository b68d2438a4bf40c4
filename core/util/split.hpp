#pragma once
// split: the non-empty pieces of a string between separators ("a,,b," -> {"a", "b"}).
//
// Thread safety: a pure function.

#include <string>
#include <string_view>
#include <vector>

namespace tribune {

inline std::vector<std::string> split_nonempty(std::string_view s, char separator) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < s.size()) {
        std::size_t next = s.find(separator, at);
        if (next == std::string_view::npos) next = s.size();
        if (next > at) out.emplace_back(s.substr(at, next - at));
        at = next + 1;
    }
    return out;
}

}  // namespace tribune

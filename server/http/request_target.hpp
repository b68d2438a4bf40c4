#pragma once
// request_target: a request target split into decoded path segments and query parameters.
//
// Thread safety: a value.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tribune::server {

struct request_target {
    std::string path;                   // raw path, without the query
    std::vector<std::string> segments;  // percent-decoded, empty segments dropped
    std::map<std::string, std::string> query;

    // Nullopt when the target is malformed (bad percent escape, not starting with '/').
    static std::optional<request_target> parse(std::string_view target);
    const std::string* param(const std::string& name) const {
        auto it = query.find(name);
        return it == query.end() ? nullptr : &it->second;
    }
};

}  // namespace tribune::server

#include "server/http/prefer_header.hpp"

#include <boost/beast/core/string.hpp>

namespace tribune::server {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// One preference (between commas): its name and value, before any ';' parameter.
bool is_minimal_return(std::string_view preference) {
    const std::size_t semicolon = preference.find(';');
    const std::string_view head = trim(preference.substr(0, semicolon));
    const std::size_t eq = head.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = trim(head.substr(0, eq));
    std::string_view value = trim(head.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
    return boost::beast::iequals(name, "return") && boost::beast::iequals(value, "minimal");
}

}  // namespace

bool prefers_minimal_return(std::string_view prefer) {
    while (!prefer.empty()) {
        const std::size_t comma = prefer.find(',');
        if (is_minimal_return(prefer.substr(0, comma))) return true;
        if (comma == std::string_view::npos) break;
        prefer.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace tribune::server

#include "core/store/database_location.hpp"

#include <algorithm>
#include <cctype>

namespace tribune {

namespace {

// The scheme of "scheme://rest" (RFC 3986: a letter, then letters, digits, + - .), else "".
std::string_view scheme_of(std::string_view v) {
    const auto sep = v.find("://");
    if (sep == std::string_view::npos || sep == 0) return {};
    const std::string_view s = v.substr(0, sep);
    if (std::isalpha(static_cast<unsigned char>(s.front())) == 0) return {};
    const bool ok = std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
    });
    return ok ? s : std::string_view{};
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

result<database_location> parse_database_location(std::string_view value) {
    if (value.empty()) return invalid("bad_database", "the database must not be empty");
    const std::string_view scheme = scheme_of(value);
    if (scheme.empty()) return database_location{database_kind::sqlite_file, std::string(value)};
    const std::string s = lower(scheme);
    if (s == "postgresql" || s == "postgres")
        return database_location{database_kind::postgresql, std::string(value)};
    return invalid("unsupported_database_url",
                   "unsupported database URL scheme '" + std::string(scheme) +
                       "://': use a file path (SQLite) or postgresql://user@host/db");
}

std::string describe_database(const database_location& where) {
    if (where.kind == database_kind::sqlite_file) return where.target;
    std::string url = where.target;
    const auto begin = url.find("://") + 3;
    const auto at = url.find('@', begin);
    if (at != std::string::npos) {
        const auto colon = url.find(':', begin);
        if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
    }
    // A password given as a query parameter (?password=...) is hidden too.
    if (const auto pw = url.find("password="); pw != std::string::npos) {
        const auto end = url.find('&', pw);
        url.replace(pw + 9, (end == std::string::npos ? url.size() : end) - pw - 9, "***");
    }
    return "PostgreSQL " + url;
}

}  // namespace tribune

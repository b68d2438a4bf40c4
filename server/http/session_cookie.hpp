#pragma once
// session_cookie: the browser session's cookie (docs/api.md "Access", Browsers): its name,
// and the Set-Cookie header that sets or clears it.
//
// Thread safety: pure functions.

#include <chrono>
#include <string>
#include <string_view>

namespace tribune::server {

inline constexpr std::string_view session_cookie_name = "tribune_session";

// HttpOnly: scripts cannot read it. SameSite=Strict: other sites' pages never send it.
// A max_age of 0 clears it.
inline std::string session_cookie_header(const std::string& secret, std::chrono::seconds max_age) {
    return std::string(session_cookie_name) + "=" + secret +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
}

}  // namespace tribune::server

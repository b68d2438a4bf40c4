#include "server/http/admission.hpp"

#include <string>
#include <string_view>

#include "server/http/request_util.hpp"
#include "server/http/session_cookie.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

// Browsers send Origin on every cross-origin request and on same-origin POST/PUT/DELETE and
// WebSocket handshakes. A cookie-authenticated change must come from our own pages.
bool same_origin(const http_request& req) {
    auto origin = req.find(http::field::origin);
    auto host = req.find(http::field::host);
    if (origin == req.end() || host == req.end()) return false;
    std::string_view o = origin->value();
    std::string_view h = host->value();
    return o == "http://" + std::string(h) || o == "https://" + std::string(h);
}

// A token's bucket. (Built by appending: GCC 12 warns, wrongly, on "t" + std::to_string.)
std::string token_key(const principal& who) {
    std::string key = "t";
    key += std::to_string(who.token_id);
    return key;
}

status rate_limited(const std::string& message) {
    return status::error(error_kind::rate_limited, "rate_limited", message);
}

}  // namespace

admission::admission(access_service& access, const config& cfg)
    : access_(access),
      ip_limits_(cfg.rate_per_ip, cfg.rate_per_ip_burst),
      token_limits_(cfg.rate_per_token, cfg.rate_per_token_burst) {}

result<principal> admission::authenticate(const http_request& req) {
    if (auto auth = req.find(http::field::authorization); auth != req.end()) {
        std::string_view v = auth->value();
        constexpr std::string_view scheme = "Bearer ";
        if (v.size() <= scheme.size() || v.substr(0, scheme.size()) != scheme)
            return status::error(error_kind::unauthenticated, "invalid_token",
                                 "use Authorization: Bearer <token>");
        return access_.authenticate_token(v.substr(scheme.size()));
    }
    if (std::string_view cookie = cookie_value(req, session_cookie_name); !cookie.empty()) {
        auto who = access_.authenticate_session(cookie);
        // A stale cookie is not an error for the public pages: the caller is anonymous.
        if (who || who.error().kind() != error_kind::unauthenticated) return who;
    }
    return principal{};
}

status admission::limit(const http_request& req, const principal& who, const client_info& client,
                        int& retry_after) {
    const bool limited = who.anonymous() ? !ip_limits_.allow(client.ip, retry_after)
                                         : !token_limits_.allow(token_key(who), retry_after);
    if (limited)
        return rate_limited("too many requests; retry in " + std::to_string(retry_after) + " s");
    const auto m = req.method();
    const bool changes = m != http::verb::get && m != http::verb::head && m != http::verb::options;
    if (who.via_session && changes && !same_origin(req))
        return status::error(error_kind::forbidden, "csrf_rejected",
                             "a change made with a session cookie must come from this server's "
                             "own pages (Origin header)");
    return status::ok();
}

result<principal> admission::admit(const http_request& req, const client_info& client,
                                   int& retry_after) {
    auto who = authenticate(req);
    if (!who) {
        // Failed credentials count against the address.
        if (!ip_limits_.allow(client.ip, retry_after)) return rate_limited("too many requests");
        return who;
    }
    if (status st = limit(req, *who, client, retry_after); !st) return st;
    return who;
}

result<principal> admission::admit_stream(const http_request& req, const client_info& client,
                                          int& retry_after) {
    auto who = authenticate(req);
    if (!who) return who;
    // A browser always sends Origin on a WebSocket handshake; a page from another site must
    // not ride on our session cookie.
    if (req.find(http::field::origin) != req.end() && !same_origin(req))
        return status::error(
            error_kind::forbidden, "origin_rejected",
            "WebSocket connections are accepted from this server's own pages only");
    if (who->via_session && !same_origin(req))
        return status::error(error_kind::forbidden, "origin_rejected",
                             "a session-authenticated stream needs a same-origin Origin header");
    if (status st = limit(req, *who, client, retry_after); !st) return st;
    return who;
}

}  // namespace tribune::server

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

std::string bearer_of(const http_request& req) {
    auto auth = req.find(http::field::authorization);
    if (auth == req.end()) return {};
    std::string_view v = auth->value();
    constexpr std::string_view scheme = "Bearer ";
    return v.starts_with(scheme) ? std::string(v.substr(scheme.size())) : std::string();
}

// A token's own quota as a bucket: `requests` per period, all of them at once at most.
rate_limiter::rate quota_rate(const token_quota& q) {
    return {static_cast<double>(q.requests) / static_cast<double>(q.period_s),
            static_cast<double>(q.requests)};
}

std::string quota_text(const token_quota& q) {
    return std::to_string(q.requests) + (q.requests == 1 ? " request per " : " requests per ") +
           (q.period_s == 1 ? "second" : "minute");
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

result<principal> admission::authenticate_key(const http_request& req,
                                             const request_target& target) {
    std::string key;
    if (const std::string* k = target.param("key"); k != nullptr) key = *k;
    if (key.empty())
        if (auto h = req.find("X-Goog-Api-Key"); h != req.end()) key = std::string(h->value());
    if (key.empty()) key = bearer_of(req);
    if (key.empty()) return principal{};
    auto who = access_.authenticate_token(key);
    if (!who && who.error().kind() == error_kind::unauthenticated)
        return status::error(error_kind::forbidden, "invalid_key",
                             "API key not valid. Please pass a valid API key.");
    return who;
}

status admission::limit(const http_request& req, const principal& who, const client_info& client,
                        int& retry_after) {
    if (who.quota) {
        // The token's own quota replaces the server's per-token rate.
        if (!token_limits_.allow(token_key(who), quota_rate(*who.quota), retry_after))
            return status::error(error_kind::rate_limited, "quota_exceeded",
                                 "quota exceeded for this key: " + quota_text(*who.quota) +
                                     "; retry in " + std::to_string(retry_after) + " s");
    } else if (who.anonymous() ? !ip_limits_.allow(client.ip, retry_after)
                               : !token_limits_.allow(token_key(who), retry_after)) {
        return rate_limited("too many requests; retry in " + std::to_string(retry_after) + " s");
    }
    const auto m = req.method();
    const bool changes = m != http::verb::get && m != http::verb::head && m != http::verb::options;
    if (who.via_session && changes && !same_origin(req))
        return status::error(error_kind::forbidden, "csrf_rejected",
                             "a change made with a session cookie must come from this server's "
                             "own pages (Origin header)");
    return status::ok();
}

result<principal> admission::admit(const http_request& req, const request_target& target,
                                   credential_source from, const client_info& client,
                                   int& retry_after) {
    auto who = from == credential_source::api_key ? authenticate_key(req, target)
                                                  : authenticate(req);
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

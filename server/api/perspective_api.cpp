#include "server/api/perspective_api.hpp"

#include <algorithm>
#include <cctype>

#include "core/util/split.hpp"
#include "server/http/http_errors.hpp"
#include "server/http/request_util.hpp"
#include "server/wire/perspective_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view analyze_route = "/v1alpha1/comments:analyze";
constexpr std::string_view suggest_route = "/v1alpha1/comments:suggestscore";
constexpr std::string_view discovery_route = "/$discovery/rest";
constexpr std::size_t max_export_page = 1000;

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

api::response google_response(http::status st, const json& body, unsigned version, bool keep_alive) {
    api::response res{st, version};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, "application/json; charset=UTF-8");
    res.set(http::field::cache_control, "no-store");
    // Perspective answers browsers too (a key in a page is the page owner's choice).
    res.set(http::field::access_control_allow_origin, "*");
    res.keep_alive(keep_alive);
    res.body() = body.dump();
    res.prepare_payload();
    return res;
}

api::response google_failure(const status& s, const api::request& req, int retry_after = 0) {
    const http::status st = http_status_for(s);
    api::response res = google_response(st, google_error(s, st), req.version(), req.keep_alive());
    if (retry_after > 0) res.set(http::field::retry_after, std::to_string(retry_after));
    return res;
}

// The first value of a comma-separated forwarding header, trimmed; "" when absent.
std::string first_value(const api::request& req, std::string_view name) {
    auto it = req.find(name);
    if (it == req.end()) return {};
    std::string v(it->value());
    v = v.substr(0, v.find(','));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
}

// A host as a header may give it: letters, digits, '.', '-', ':', '[' and ']' only.
bool plausible_host(std::string_view h) {
    if (h.empty() || h.size() > 255) return false;
    for (char c : h)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
            c != '[' && c != ']')
            return false;
    return true;
}

std::string period_name(std::int64_t s) { return s == 1 ? "second" : "minute"; }

}  // namespace

perspective_api::perspective_api(analysis_service& analysis, access_service& access,
                                 feedback_store& feedback, const config& cfg)
    : analysis_(analysis),
      access_(access),
      feedback_(feedback),
      cfg_(cfg),
      prefix_(split_nonempty(cfg.perspective_prefix, '/')),
      ip_limits_(cfg.rate_per_ip, cfg.rate_per_ip_burst),
      token_limits_(cfg.rate_per_token, cfg.rate_per_token_burst) {}

std::pair<std::string, std::string> perspective_api::split_prefix(
    const request_target& t) const {
    const auto& s = t.segments;
    auto rest_from = [&](std::size_t i) {
        std::string rest;
        for (std::size_t k = i; k < s.size(); ++k) rest += "/" + s[k];
        return rest;
    };
    if (!prefix_.empty() && s.size() > prefix_.size() &&
        std::equal(prefix_.begin(), prefix_.end(), s.begin())) {
        std::string prefix;
        for (const auto& p : prefix_) prefix += p + "/";
        return std::make_pair(prefix, rest_from(prefix_.size()));
    }
    return std::make_pair(std::string(), rest_from(0));
}

std::optional<std::string> perspective_api::route_of(const request_target& t) const {
    const std::string rest = split_prefix(t).second;
    if (rest == analyze_route || rest == suggest_route || rest == discovery_route) return rest;
    return std::nullopt;
}

rate_limiter& perspective_api::quota_limiter(const token_quota& q) {
    std::lock_guard lock(quotas_mutex_);
    auto& slot = quotas_[{q.requests, q.period_s}];
    if (!slot) {
        const double rate = static_cast<double>(q.requests) / static_cast<double>(q.period_s);
        slot = std::make_unique<rate_limiter>(rate, static_cast<double>(q.requests));
    }
    return *slot;
}

result<principal> perspective_api::admit(const api::request& req, const request_target& t,
                                         const api::client_info& client, int& retry_after) {
    std::string_view key;
    if (const std::string* k = t.param("key"); k != nullptr && !k->empty()) key = *k;
    else if (auto h = req.find("X-Goog-Api-Key"); h != req.end()) key = h->value();
    else if (auto a = req.find(http::field::authorization); a != req.end()) {
        constexpr std::string_view scheme = "Bearer ";
        if (a->value().substr(0, scheme.size()) == scheme) key = a->value().substr(scheme.size());
    }
    if (key.empty())
        return status::error(error_kind::unauthenticated, "authentication_required",
                             "The request is missing a valid API key.");
    auto who = access_.authenticate_token(key);
    if (!who) {
        // Failed keys count against the address, so keys cannot be guessed at speed.
        if (!ip_limits_.allow(client.ip, retry_after))
            return status::error(error_kind::rate_limited, "rate_limited", "Too many requests.");
        if (who.error().kind() != error_kind::unauthenticated) return who.error();
        return status::error(error_kind::forbidden, "invalid_key",
                             "API key not valid. Please pass a valid API key.");
    }
    if (who->r != role::analyst && who->r != role::admin)
        return status::error(error_kind::forbidden, "forbidden",
                             "This key (role " + std::string(to_string(who->r)) +
                                 ") may not call the analysis API; use an analyst key.");
    const std::string bucket = "t" + std::to_string(who->token_id);
    if (who->quota) {
        if (!quota_limiter(*who->quota).allow(bucket, retry_after))
            return status::error(error_kind::rate_limited, "quota_exceeded",
                                 "Quota exceeded for this key: " + std::to_string(who->quota->requests) +
                                     " requests per " + period_name(who->quota->period_s) +
                                     ". Retry in " + std::to_string(retry_after) + " s.");
    } else if (!token_limits_.allow(bucket, retry_after)) {
        return status::error(error_kind::rate_limited, "quota_exceeded",
                             "Too many requests for this key. Retry in " + std::to_string(retry_after) + " s.");
    }
    return who;
}

std::string perspective_api::root_url(const api::request& req) const {
    if (!cfg_.public_url.empty())
        return cfg_.public_url.back() == '/' ? cfg_.public_url : cfg_.public_url + "/";
    // Behind a reverse proxy: the scheme and host the client used (docs/perspective.md).
    std::string scheme = first_value(req, "X-Forwarded-Proto");
    if (scheme != "https" && scheme != "http") scheme = "http";
    std::string host = first_value(req, "X-Forwarded-Host");
    if (!plausible_host(host)) host = first_value(req, "Host");
    if (!plausible_host(host)) host = "localhost";
    return scheme + "://" + host + "/";
}

void perspective_api::handle(const api::request& req, const request_target& t,
                             const std::string& route, const api::client_info& client,
                             const api::responder& reply) {
    const auto method = req.method();
    if (method == http::verb::options) {  // CORS preflight
        api::response res{http::status::no_content, req.version()};
        res.set(http::field::server, "tribune");
        res.set(http::field::access_control_allow_origin, "*");
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        res.set(http::field::access_control_allow_headers, "Content-Type, Authorization, X-Goog-Api-Key");
        res.set(http::field::access_control_max_age, "3600");
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        return reply(std::move(res));
    }
    auto fail = [&](const status& s, int retry_after = 0) { reply(google_failure(s, req, retry_after)); };
    auto wrong_method = [&] {
        fail(invalid("method_not_allowed", std::string(req.method_string()) + " is not allowed on " + route));
    };
    if (route == discovery_route) {
        if (method != http::verb::get && method != http::verb::head) return wrong_method();
        if (const std::string* v = t.param("version"); v != nullptr && *v != "v1alpha1")
            return fail(status::error(error_kind::not_found, "not_found",
                                      "No discovery document for version " + *v + "; this server has v1alpha1."));
        const std::string prefix = split_prefix(t).first;
        api::response res = google_response(http::status::ok, discovery_document(root_url(req), prefix),
                                            req.version(), req.keep_alive());
        if (method == http::verb::head) res.body().clear();
        return reply(std::move(res));
    }
    if (method != http::verb::post) return wrong_method();
    int retry_after = 0;
    auto who = admit(req, t, client, retry_after);
    if (!who) return fail(who.error(), retry_after);
    if (!is_json_content(req))
        return fail(invalid("unsupported_media_type", "Send the body as application/json."));
    auto body = parse_object(req.body(), cfg_.max_json_depth);
    if (!body) return fail(body.error());
    if (route == analyze_route) {
        auto in = decode_analyze(*body);
        if (!in) return fail(in.error());
        auto out = analysis_.analyze(in->request);
        if (!out) return fail(out.error());
        return reply(google_response(http::status::ok, encode_analyze(*out, in->client_token),
                                     req.version(), req.keep_alive()));
    }
    auto s = decode_suggest(*body);
    if (!s) return fail(s.error());
    s->submitted_by = who->name;
    const auto token = s->client_token;
    if (auto id = analysis_.suggest(std::move(*s)); !id) return fail(id.error());
    reply(google_response(http::status::ok, encode_suggest(token), req.version(), req.keep_alive()));
}

bool perspective_api::route_admin(const api::request& req, const std::string& route,
                                  const api::responder& reply) {
    if (route != "/api/v1/perspective/suggestions") return false;
    auto fail = [&](const status& s) { reply(api::error_response(s, req.version(), req.keep_alive())); };
    if (req.method() != http::verb::get)
        return fail(invalid("method_not_allowed", "use GET on " + route)), true;
    const auto t = *request_target::parse(req.target());
    std::int64_t after = 0;
    std::size_t limit = 100;
    if (const std::string* a = t.param("after")) {
        auto v = parse_int(*a);
        if (!v || *v < 0) return fail(invalid("invalid_cursor", "after must be a suggestion id")), true;
        after = *v;
    }
    if (const std::string* l = t.param("limit")) {
        auto v = parse_int(*l);
        if (!v || *v < 1 || *v > static_cast<std::int64_t>(max_export_page))
            return fail(invalid("invalid_limit", "limit must be an integer from 1 to 1000")), true;
        limit = static_cast<std::size_t>(*v);
    }
    auto page = feedback_.list_suggestions(after, limit);
    if (!page) return fail(page.error()), true;
    json items = json::array();
    for (const suggestion& s : *page) items.push_back(to_json(s));
    const bool full = page->size() == limit;
    json body = {{"items", std::move(items)},
                 {"next_after", full ? json(page->back().id) : json(nullptr)}};
    reply(api::json_response(http::status::ok, body, req));
    return true;
}

}  // namespace tribune::server

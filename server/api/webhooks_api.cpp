#include "server/api/webhooks_api.hpp"

#include "server/http/request_target.hpp"
#include "server/http/request_util.hpp"
#include "server/wire/webhook_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_log_page = 500;

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

}  // namespace

bool webhooks_api::route(const api::request& req, const std::string& route, const principal& who,
                         const api::responder& reply) {
    if (route != "/api/v1/webhooks" && route != "/api/v1/webhooks/{id}" &&
        route != "/api/v1/webhooks/{id}/deliveries")
        return false;
    const auto t = *request_target::parse(req.target());
    const auto method = req.method();
    auto fail = [&](const status& s) {
        reply(api::error_response(s, req.version(), req.keep_alive()));
        return true;
    };
    auto send = [&](http::status st, const json& body) {
        reply(api::json_response(st, body, req));
        return true;
    };
    auto wrong_method = [&] {
        return fail(invalid("method_not_allowed", std::string(req.method_string()) + " is not allowed on " + route));
    };
    auto body_object = [&]() -> result<json> {
        if (!is_json_content(req)) return invalid("unsupported_media_type", "send the body as application/json");
        return parse_object(req.body(), cfg_.max_json_depth);
    };

    if (route == "/api/v1/webhooks") {
        if (method == http::verb::get) {
            std::optional<std::string> event;
            if (const std::string* e = t.param("event")) event = *e;
            auto hooks = hooks_.list(event);
            if (!hooks) return fail(hooks.error());
            json items = json::array();
            for (const webhook& w : *hooks) items.push_back(to_json(w, false));
            return send(http::status::ok, {{"items", std::move(items)}});
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto in = decode_webhook_input(*body);
        if (!in) return fail(in.error());
        in->created_by = who.name;
        auto created = hooks_.create(*in);
        if (!created) return fail(created.error());
        return send(http::status::created, to_json(*created, true));
    }

    auto id = parse_int(t.segments[3]);
    if (!id || *id <= 0)
        return fail(status::error(error_kind::not_found, "webhook_not_found", "webhook ids are positive integers"));
    if (route == "/api/v1/webhooks/{id}/deliveries") {
        if (method != http::verb::get) return wrong_method();
        std::int64_t before = 0;
        std::size_t limit = 100;
        if (const std::string* b = t.param("before")) {
            auto v = parse_int(*b);
            if (!v || *v < 0) return fail(invalid("invalid_cursor", "before must be a log entry id"));
            before = *v;
        }
        if (const std::string* l = t.param("limit")) {
            auto v = parse_int(*l);
            if (!v || *v < 1 || *v > static_cast<std::int64_t>(max_log_page))
                return fail(invalid("invalid_limit", "limit must be an integer from 1 to 500"));
            limit = static_cast<std::size_t>(*v);
        }
        auto log = hooks_.attempts(*id, before, limit);
        if (!log) return fail(log.error());
        json items = json::array();
        for (const webhook_attempt& a : *log) items.push_back(to_json(a));
        const bool full = log->size() == limit;
        return send(http::status::ok, {{"items", std::move(items)},
                                       {"next_before", full ? json(log->back().id) : json(nullptr)}});
    }
    if (method == http::verb::get) {
        auto h = hooks_.get(*id);
        if (!h) return fail(h.error());
        return send(http::status::ok, to_json(*h, false));
    }
    if (method == http::verb::delete_) {
        if (status st = hooks_.remove(*id); !st) return fail(st);
        return send(http::status::ok, {{"deleted", *id}});
    }
    if (method != http::verb::patch) return wrong_method();
    auto body = body_object();
    if (!body) return fail(body.error());
    auto u = decode_webhook_update(*body);
    if (!u) return fail(u.error());
    auto updated = hooks_.update(*id, u->first, u->second);
    if (!updated) return fail(updated.error());
    return send(http::status::ok, to_json(*updated, u->second));
}

}  // namespace tribune::server

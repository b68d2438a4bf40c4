#include "server/api/api.hpp"

#include <atomic>
#include <exception>
#include <memory>
#include <optional>

#include "server/api/routes.hpp"
#include "server/http/request_target.hpp"
#include "server/http/responses.hpp"
#include "server/http/security_headers.hpp"
#include "server/ops/log.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

// The error for a refused admission, with Retry-After when rate limited.
http_response refusal(const status& s, int retry_after, dialect speaks, unsigned version,
                      bool keep_alive) {
    http_response res = error_response(s, speaks, version, keep_alive);
    if (s.kind() == error_kind::rate_limited)
        res.set(http::field::retry_after, std::to_string(retry_after));
    return res;
}

status internal_error(std::string message) {
    return status::error(error_kind::internal, "internal", std::move(message));
}

}  // namespace

api::api(const api_services& services) : s_(services), admission_(services.access, services.cfg) {
    add_routes(table_, s_);
}

void api::count(const std::string& label, unsigned status, double seconds) {
    s_.stats.count_request(label, status, seconds);
}

responder api::counted(std::string label, dialect speaks, const http_request& req,
                       clock::time_point started, responder reply) {
    // The log names the route's pattern, never the target: a query may carry an API key.
    std::string method = s_.cfg.quiet ? std::string() : std::string(req.method_string());
    return [this, label = std::move(label), speaks, method = std::move(method), started,
            reply = std::move(reply)](outgoing out) {
        const double seconds = std::chrono::duration<double>(clock::now() - started).count();
        count(label, out.res.result_int(), seconds);
        if (!s_.cfg.quiet)
            log_line(method + " " + label + " " + std::to_string(out.res.result_int()) + " " +
                     std::to_string(static_cast<long long>(seconds * 1e6)) + " us");
        add_security_headers(out.res);
        add_dialect_headers(out.res, speaks);
        reply(std::move(out));
    };
}

void api::handle(const http_request& req, const client_info& client, responder reply) {
    const auto started = clock::now();
    auto target = request_target::parse(req.target());
    if (!target)
        return counted("other", dialect::tribune, req, started, std::move(reply))(error_response(
            invalid("invalid_target", "malformed request target"), req.version(), false));
    route_match m = table_.match(req.method(), target->segments);
    responder answer = counted(m.label("other"), m.speaks(), req, started, std::move(reply));
    int retry_after = 1;
    auto who = admission_.admit(req, *target, m.credentials(), client, retry_after);
    if (!who)
        return answer(refusal(who.error(), retry_after, m.speaks(), req.version(),
                              req.keep_alive()));
    dispatch(req, *target, m, *who, client, answer);
}

void api::dispatch(const http_request& req, const request_target& target, route_match& m,
                   const principal& who, const client_info& client, const responder& answer) {
    const reply_channel out(answer, req.version(), req.keep_alive(), m.speaks());
    if (m.kind == match_kind::no_route)
        return out.fail(not_found("not_found", "nothing at " + target.path));
    // Nothing about a protected route (not even whether its body or id is valid) is told to
    // a caller without credentials.
    if (who.anonymous() && !m.admits_anonymous())
        return out.fail(m.routes.front()->access.check(m.routes.front()->pattern, who, client));
    if (m.kind == match_kind::wrong_method)
        return out.fail(
            invalid("method_not_allowed",
                    std::string(req.method_string()) + " is not allowed on " + m.label("other")));
    const route& r = *m.found();
    if (!r.access.handler_checks()) {
        const std::string& event = r.access.event_scoped() ? m.params["slug"] : std::string();
        if (status st = r.access.check(r.pattern, who, client, event); !st) return out.fail(st);
        request_context ctx(req, target, r, m.params, who, client, s_.cfg.max_json_depth, answer,
                            req.keep_alive());
        return run_handler(r, ctx, out);
    }
    // A success that leaves without the rule checked is a bug in the handler: refuse it.
    auto checked = std::make_shared<bool>(false);
    responder guarded = [answer, checked, pattern = r.pattern, speaks = r.speaks](outgoing reply) {
        if (!*checked && reply.res.result_int() < 400) {
            log_line("route " + pattern + " answered without checking its access rule");
            reply = outgoing(error_response(internal_error("the server failed to check access"),
                                            speaks, reply.res.version(), reply.res.keep_alive()));
        }
        answer(std::move(reply));
    };
    request_context ctx(req, target, r, m.params, who, client, s_.cfg.max_json_depth, guarded,
                        req.keep_alive(), checked);
    run_handler(r, ctx, out);
}

void api::run_handler(const route& r, request_context& ctx, const reply_channel& out) {
    try {
        r.handler(ctx);
    } catch (const std::exception& e) {
        // A handler answers before anything can throw in practice (encoders only see
        // validated input); a throw before the answer must still answer once.
        log_line("route " + r.pattern + ": " + e.what());
        out.fail(internal_error("the server failed to answer this request"));
    }
}

std::variant<stream_opener, http_response> api::upgrade(const http_request& req,
                                                        const client_info& client) {
    auto target = request_target::parse(req.target());
    route_match m = target ? table_.match(req.method(), target->segments) : route_match{};
    const route* r = m.found();
    if (r == nullptr || !r->upgrade) {
        http_response res = error_response(
            not_found("not_found", "no WebSocket endpoint at this path"), req.version(), false);
        add_security_headers(res);
        return res;
    }
    std::optional<http_response> refused;
    responder answer = counted(r->metrics_label(), r->speaks, req, clock::now(),
                               [&refused](outgoing out) { refused = std::move(out.res); });
    int retry_after = 1;
    auto who = admission_.admit_stream(req, client, retry_after);
    if (!who) {
        answer(refusal(who.error(), retry_after, r->speaks, req.version(), false));
        return std::move(*refused);
    }
    // A rule checked by the handler is checked by the upgrade handler, which must do so
    // before it accepts.
    auto checked = std::make_shared<bool>(false);
    request_context ctx(req, *target, *r, m.params, *who, client, s_.cfg.max_json_depth, answer,
                        false, checked);
    const std::string& event = r->access.event_scoped() ? m.params["slug"] : std::string();
    if (!r->access.handler_checks()) {
        if (status st = r->access.check(r->pattern, *who, client, event); !st) {
            ctx.fail(st);
            return std::move(*refused);
        }
        *checked = true;
    }
    auto opener = r->upgrade(ctx);
    if (!opener) return std::move(*refused);
    if (!*checked) {
        log_line("route " + r->pattern + " accepted an upgrade without checking its access rule");
        ctx.fail(internal_error("the server failed to check access"));
        return std::move(*refused);
    }
    count(r->metrics_label(), 101, 0.0);
    return std::move(*opener);
}

}  // namespace tribune::server

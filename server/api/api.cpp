#include "server/api/api.hpp"

#include <boost/beast/version.hpp>

#include <charconv>

#include "server/api/openapi_document.hpp"  // issue 13
#include "server/api/perspective_api.hpp"   // issue 13
#include "server/api/webhooks_api.hpp"      // issue 13
#include "server/http/access_rules.hpp"
#include "server/http/http_errors.hpp"
#include "server/http/request_target.hpp"
#include "server/http/request_util.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

using clock = std::chrono::steady_clock;

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

status not_found(std::string code, std::string message) {
    return status::error(error_kind::not_found, std::move(code), std::move(message));
}

}  // namespace

api::response api::json_response(http::status st, const json& body, const request& req) {
    api::response res{st, req.version()};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = body.dump();
    res.prepare_payload();
    return res;
}


api::api(question_service& service, access_service& access, store& db, hub& h, metrics& m,
         const static_files& files, const config& cfg)
    : service_(service),
      access_(access),
      ip_limits_(cfg.rate_per_ip, cfg.rate_per_ip_burst),
      token_limits_(cfg.rate_per_token, cfg.rate_per_token_burst),
      db_(db),
      hub_(h),
      metrics_(m),
      files_(files),
      cfg_(cfg) {}

namespace {

constexpr std::string_view session_cookie = "tribune_session";

// Browsers send Origin on every cross-origin request and on same-origin POST/PUT/DELETE and
// WebSocket handshakes. A cookie-authenticated change must come from our own pages.
bool same_origin(const api::request& req) {
    auto origin = req.find(http::field::origin);
    auto host = req.find(http::field::host);
    if (origin == req.end() || host == req.end()) return false;
    std::string_view o = origin->value();
    std::string_view h = host->value();
    return o == "http://" + std::string(h) || o == "https://" + std::string(h);
}

// Headers every answer carries: no inline script, no framing, no sniffing.
void secure(api::response& res) {
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Frame-Options", "DENY");
}

}  // namespace

result<principal> api::authenticate(const request& req) {
    if (auto auth = req.find(http::field::authorization); auth != req.end()) {
        std::string_view v = auth->value();
        constexpr std::string_view scheme = "Bearer ";
        if (v.size() <= scheme.size() || v.substr(0, scheme.size()) != scheme)
            return status::error(error_kind::unauthenticated, "invalid_token",
                                 "use Authorization: Bearer <token>");
        return access_.authenticate_token(v.substr(scheme.size()));
    }
    if (std::string_view cookie = cookie_value(req, session_cookie); !cookie.empty()) {
        auto who = access_.authenticate_session(cookie);
        // A stale cookie is not an error for the public pages: the caller is anonymous.
        if (who || who.error().kind() != error_kind::unauthenticated) return who;
    }
    return principal{};
}

status api::admit(const request& req, const principal& who, const client_info& client,
                  int& retry_after) {
    const bool limited = who.anonymous()
                             ? !ip_limits_.allow(client.ip, retry_after)
                             : !token_limits_.allow("t" + std::to_string(who.token_id), retry_after);
    if (limited)
        return status::error(error_kind::rate_limited, "rate_limited",
                             "too many requests; retry in " + std::to_string(retry_after) + " s");
    const auto m = req.method();
    const bool changes = m != http::verb::get && m != http::verb::head && m != http::verb::options;
    if (who.via_session && changes && !same_origin(req))
        return status::error(error_kind::forbidden, "csrf_rejected",
                             "a change made with a session cookie must come from this server's "
                             "own pages (Origin header)");
    return status::ok();
}

api::response api::error_response(const status& s, unsigned version, bool keep_alive) {
    response res{http_status_for(s), version};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    if (s.code() == "queue_full" || s.kind() == error_kind::unavailable)
        res.set(http::field::retry_after, "1");
    res.keep_alive(keep_alive);
    res.body() = error_body(s).dump();
    res.prepare_payload();
    return res;
}

void api::count(const std::string& route, unsigned status, double seconds) {
    metrics_.count_request(route, status, seconds);
}

std::variant<api::stream_target, api::response> api::match_stream(const request& req,
                                                                 const client_info& client) {
    auto t = request_target::parse(req.target());
    const auto& s = t ? t->segments : std::vector<std::string>{};
    if (!t || s.size() != 5 || s[0] != "api" || s[1] != "v1" || s[2] != "events" || s[4] != "stream")
        return error_response(not_found("not_found", "no WebSocket endpoint at this path"),
                              req.version(), false);
    stream_target out;
    out.event = s[3];
    auto refuse = [&](const status& st) {
        metrics_.count_request("/api/v1/events/{slug}/stream", static_cast<unsigned>(http_status_for(st)), 0.0);
        response res = error_response(st, req.version(), false);
        secure(res);
        return res;
    };
    auto who = authenticate(req);
    if (!who) return refuse(who.error());
    // A browser always sends Origin on a WebSocket handshake; a page from another site must
    // not ride on our session cookie.
    if (req.find(http::field::origin) != req.end() && !same_origin(req))
        return refuse(status::error(error_kind::forbidden, "origin_rejected",
                                    "WebSocket connections are accepted from this server's own pages only"));
    if (who->via_session && !same_origin(req))
        return refuse(status::error(error_kind::forbidden, "origin_rejected",
                                    "a session-authenticated stream needs a same-origin Origin header"));
    int retry_after = 1;
    if (status st = admit(req, *who, client, retry_after); !st) return refuse(st);
    if (status st = authorize(*who, "/api/v1/events/{slug}/stream", http::verb::get, out.event); !st)
        return refuse(st);
    out.who = *who;
    if (auto ev = db_.find_event(out.event); !ev)
        return error_response(ev.error(), req.version(), false);
    if (const std::string* since = t->param("since")) {
        auto v = parse_int(*since);
        if (!v || *v < 0)
            return error_response(invalid("invalid_since", "since must be a non-negative integer"),
                                  req.version(), false);
        out.since = static_cast<std::uint64_t>(*v);
    }
    if (const std::string* epoch = t->param("epoch")) out.epoch = *epoch;
    metrics_.count_request("/api/v1/events/{slug}/stream", 101, 0.0);
    return out;
}

void api::handle(const request& req, const client_info& client, responder reply) {
    const auto started = clock::now();
    auto t = request_target::parse(req.target());
    std::string route_name = "other";
    // --- issue 13: Perspective-compatible routes (perspective_api authenticates by key) ---
    std::optional<std::string> perspective_route;
    if (t && perspective_ != nullptr) perspective_route = perspective_->route_of(*t);
    if (perspective_route) route_name = *perspective_route;
    else if (t) {
        const auto& s = t->segments;
        if (s.size() == 1 && s[0] == "healthz") route_name = "/healthz";
        else if (s.size() == 1 && s[0] == "metrics") route_name = "/metrics";
        else if (s.size() >= 2 && s[0] == "api" && s[1] == "v1") {
            if (s.size() == 3 && s[2] == "session") route_name = "/api/v1/session";
            else if (s.size() == 3 && s[2] == "tokens") route_name = "/api/v1/tokens";
            else if (s.size() == 4 && s[2] == "tokens") route_name = "/api/v1/tokens/{id}";
            else if (s.size() == 6 && s[2] == "public" && s[3] == "events" && s[5] == "questions")
                route_name = "/api/v1/public/events/{slug}/questions";
            else if (s.size() == 6 && s[2] == "public" && s[3] == "questions" && s[5] == "vote")
                route_name = "/api/v1/public/questions/{id}/vote";
            else if (s.size() == 3 && s[2] == "events") route_name = "/api/v1/events";
            else if (s.size() == 4 && s[2] == "events") route_name = "/api/v1/events/{slug}";
            else if (s.size() == 5 && s[2] == "events" && s[4] == "questions")
                route_name = "/api/v1/events/{slug}/questions";
            else if (s.size() == 5 && s[2] == "events" && s[4] == "stream")
                route_name = "/api/v1/events/{slug}/stream";
            else if (s.size() == 5 && s[2] == "events" && s[4] == "policy")
                route_name = "/api/v1/events/{slug}/policy";
            else if (s.size() == 6 && s[2] == "events" && s[4] == "policy" && s[5] == "dry-run")
                route_name = "/api/v1/events/{slug}/policy/dry-run";
            else if (s.size() == 5 && s[2] == "events" && s[4] == "decisions")
                route_name = "/api/v1/events/{slug}/decisions";
            else if (s.size() == 5 && s[2] == "events" && s[4] == "shortlist")
                route_name = "/api/v1/events/{slug}/shortlist";
            else if (s.size() == 6 && s[2] == "events" && s[4] == "shortlist")
                route_name = "/api/v1/events/{slug}/shortlist/{id}";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "undo")
                route_name = "/api/v1/questions/{id}/undo";
            else if (s.size() == 4 && s[2] == "questions") route_name = "/api/v1/questions/{id}";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "decision")
                route_name = "/api/v1/questions/{id}/decision";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "decisions")
                route_name = "/api/v1/questions/{id}/decisions";
            // --- issue 13 ---
            else if (s.size() == 3 && s[2] == "webhooks") route_name = "/api/v1/webhooks";
            else if (s.size() == 4 && s[2] == "webhooks") route_name = "/api/v1/webhooks/{id}";
            else if (s.size() == 5 && s[2] == "webhooks" && s[4] == "deliveries")
                route_name = "/api/v1/webhooks/{id}/deliveries";
            else if (s.size() == 4 && s[2] == "perspective" && s[3] == "suggestions")
                route_name = "/api/v1/perspective/suggestions";
            else if (s.size() == 3 && s[2] == "openapi.yaml") route_name = "/api/v1/openapi.yaml";
            else route_name = "/api/other";
        } else route_name = "static";
    }
    // Count every answer, whichever thread sends it, and give it the security headers.
    // The request log names the route pattern only: never the target (a Perspective key rides
    // in ?key=), the body or a header (issue 13).
    responder counted = [this, route_name, started, method_name = std::string(req.method_string()),
                         reply = std::move(reply)](response res) {
        const double seconds = std::chrono::duration<double>(clock::now() - started).count();
        metrics_.count_request(route_name, res.result_int(), seconds);
        if (!cfg_.quiet)
            log_line(method_name + " " + route_name + " " + std::to_string(res.result_int()) + " " +
                     std::to_string(static_cast<long long>(seconds * 1e6)) + " us");
        secure(res);
        reply(std::move(res));
    };
    if (!t) {
        counted(error_response(invalid("invalid_target", "malformed request target"),
                               req.version(), false));
        return;
    }
    if (perspective_route) return perspective_->handle(req, *t, route_name, client, counted);  // issue 13
    auto who = authenticate(req);
    int retry_after = 1;
    if (!who) {
        // Failed credentials count against the address, so tokens cannot be guessed at speed.
        if (!ip_limits_.allow(client.ip, retry_after)) {
            response res = error_response(
                status::error(error_kind::rate_limited, "rate_limited", "too many requests"),
                req.version(), req.keep_alive());
            res.set(http::field::retry_after, std::to_string(retry_after));
            return counted(std::move(res));
        }
        return counted(error_response(who.error(), req.version(), req.keep_alive()));
    }
    if (status st = admit(req, *who, client, retry_after); !st) {
        response res = error_response(st, req.version(), req.keep_alive());
        if (st.kind() == error_kind::rate_limited)
            res.set(http::field::retry_after, std::to_string(retry_after));
        return counted(std::move(res));
    }
    // Nothing about a protected route (not even whether its body or id is valid) is told to
    // a caller without credentials.
    if (who->anonymous() && !is_public(route_name, req.method()) && route_name != "/metrics" &&
        route_name != "/api/other")
        return counted(error_response(authorize(*who, route_name, req.method(), ""), req.version(),
                                      req.keep_alive()));
    route(req, route_name, *who, client, counted);
}

void api::route(const request& req, const std::string& route_name, const principal& who,
                const client_info& client, responder& reply) {
    const auto t = *request_target::parse(req.target());
    const auto& seg = t.segments;
    const auto method = req.method();
    auto fail = [&](const status& s) { reply(error_response(s, req.version(), req.keep_alive())); };
    auto send = [&](http::status st, const json& body) { reply(json_response(st, body, req)); };
    auto wrong_method = [&] {
        fail(invalid("method_not_allowed",
                     std::string(req.method_string()) + " is not allowed on " + route_name));
    };
    auto body_object = [&]() -> result<json> {
        if (!is_json_content(req))
            return invalid("unsupported_media_type", "send the body as application/json");
        return parse_object(req.body(), cfg_.max_json_depth);
    };
    auto question_id = [&]() -> std::optional<std::int64_t> {
        auto v = parse_int(seg[3]);
        if (!v || *v <= 0) return std::nullopt;
        return v;
    };
    // False (and the answer sent) when `who` may not do this on the event `slug`.
    auto allowed = [&](std::string_view slug, std::string_view action = {}) {
        status st = authorize(who, route_name, method, slug, action);
        if (!st) fail(st);
        return st.is_ok();
    };
    const bool event_route = route_name.rfind("/api/v1/events/{slug}", 0) == 0;
    const bool decided_later = route_name == "/api/v1/events/{slug}/decisions" ||
                               route_name.rfind("/api/v1/questions/{id}", 0) == 0 ||
                               route_name == "/metrics" || route_name == "/api/other";
    if (!decided_later && !allowed(event_route ? std::string_view(seg[3]) : std::string_view{}))
        return;
    if (route_access(req, route_name, who, client, reply)) return;
    // --- issue 13: webhooks (admin), the suggestions export (admin), the OpenAPI document ---
    if (webhooks_ != nullptr && webhooks_->route(req, route_name, who, reply)) return;
    if (perspective_ != nullptr && perspective_->route_admin(req, route_name, reply)) return;
    if (route_name == "/api/v1/openapi.yaml") {
        if (method != http::verb::get && method != http::verb::head) return wrong_method();
        response res{http::status::ok, req.version()};
        res.set(http::field::server, "tribune");
        res.set(http::field::content_type, "application/yaml; charset=utf-8");
        res.set(http::field::cache_control, "no-cache");
        res.keep_alive(req.keep_alive());
        res.body() = std::string(openapi_yaml());
        res.prepare_payload();
        if (method == http::verb::head) res.body().clear();
        return reply(std::move(res));
    }

    if (route_name == "/healthz") {
        if (method != http::verb::get && method != http::verb::head) return wrong_method();
        return send(http::status::ok, {{"status", "ok"},
                                       {"classifier", service_.model().name()},
                                       {"queue_depth", service_.queue_depth()},
                                       {"websocket_clients", hub_.client_count()}});
    }
    if (route_name == "/metrics") {
        if (method != http::verb::get) return wrong_method();
        if (cfg_.metrics_access == "loopback" && !client.loopback)
            return fail(status::error(error_kind::forbidden, "forbidden",
                                      "/metrics answers only on loopback (see --metrics-access)"));
        if (cfg_.metrics_access == "admin" && who.r != role::admin)
            return fail(who.anonymous()
                            ? status::error(error_kind::unauthenticated, "authentication_required",
                                            "/metrics needs an admin token")
                            : status::error(error_kind::forbidden, "forbidden",
                                            "/metrics needs an admin token"));
        std::string out;
        metrics_.render(out);
        out += "# HELP tribune_websocket_clients Connected live-stream clients.\n";
        out += "# TYPE tribune_websocket_clients gauge\n";
        out += "tribune_websocket_clients " + std::to_string(hub_.client_count()) + "\n";
        out += "# HELP tribune_ingest_queue_depth Questions waiting for the scoring workers.\n";
        out += "# TYPE tribune_ingest_queue_depth gauge\n";
        out += "tribune_ingest_queue_depth " + std::to_string(service_.queue_depth()) + "\n";
        out += "# HELP tribune_questions Stored questions by event and status.\n";
        out += "# TYPE tribune_questions gauge\n";
        if (auto events = db_.list_events()) {
            for (const event_info& e : *events) {
                auto counts = db_.count_by_status(e.id);
                if (!counts) continue;
                for (const auto& [st, n] : *counts)
                    out += "tribune_questions{event=\"" + e.slug + "\",status=\"" +
                           std::string(to_string(st)) + "\"} " + std::to_string(n) + "\n";
            }
        }
        response res{http::status::ok, req.version()};
        res.set(http::field::server, "tribune");
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.keep_alive(req.keep_alive());
        res.body() = std::move(out);
        res.prepare_payload();
        return reply(std::move(res));
    }
    if (route_name == "/api/v1/events") {
        if (method == http::verb::get) {
            auto events = db_.list_events();
            if (!events) return fail(events.error());
            json items = json::array();
            for (const auto& e : *events)
                if (who.covers(e.slug)) items.push_back(to_json(e));
            return send(http::status::ok, {{"items", std::move(items)}});
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto e = decode_new_event(*body);
        if (!e) return fail(e.error());
        auto created = db_.create_event(*e);
        if (!created) return fail(created.error());
        return send(http::status::created, to_json(*created, status_counts{}));
    }
    if (route_name == "/api/v1/events/{slug}") {
        if (method != http::verb::get) return wrong_method();
        auto ev = db_.find_event(seg[3]);
        if (!ev) return fail(ev.error());
        auto counts = db_.count_by_status(ev->id);
        if (!counts) return fail(counts.error());
        return send(http::status::ok, to_json(*ev, *counts));
    }
    if (route_name == "/api/v1/events/{slug}/questions") {
        if (method == http::verb::post) {
            auto body = body_object();
            if (!body) return fail(body.error());
            auto sub = decode_submission(*body, seg[3]);
            if (!sub) return fail(sub.error());
            const unsigned version = req.version();
            const bool keep_alive = req.keep_alive();
            // `reply` is a copy owned by the completion: it runs on a scoring worker.
            status st = service_.submit(
                std::move(*sub), [reply, version, keep_alive](result<submit_outcome> r) {
                    if (!r) return reply(error_response(r.error(), version, keep_alive));
                    response res{r->created ? http::status::created : http::status::ok, version};
                    res.set(http::field::server, "tribune");
                    res.set(http::field::content_type, "application/json");
                    res.set(http::field::cache_control, "no-store");
                    res.keep_alive(keep_alive);
                    res.body() = to_json(r->q).dump();
                    res.prepare_payload();
                    reply(std::move(res));
                });
            if (!st) return fail(st);
            return;
        }
        if (method != http::verb::get) return wrong_method();
        question_query q;
        q.event_slug = seg[3];
        if (status st = decode_list_query(t.query, q); !st) return fail(st);
        if (who.r == role::executive) {
            // Executives choose among what moderators approved.
            auto& sts = q.filter.statuses;
            if (sts.empty()) sts = {question_status::approved, question_status::answered};
            for (question_status st : sts)
                if (st != question_status::approved && st != question_status::answered)
                    return fail(status::error(error_kind::forbidden, "forbidden",
                                              "executives see approved and answered questions only"));
        }
        auto page = db_.list_questions(q);
        if (!page) return fail(page.error());
        json items = json::array();
        for (const question& item : page->items) items.push_back(to_json(item));
        return send(http::status::ok,
                    {{"items", std::move(items)},
                     {"next_cursor", page->next ? json(encode_cursor(*page->next)) : json(nullptr)}});
    }
    // The body of a policy change read onto the policy in force (members absent keep theirs).
    auto proposed_policy = [&]() -> result<event_policy> {
        auto body = body_object();
        if (!body) return body.error();
        auto current = service_.policy(seg[3]);
        if (!current) return current.error();
        return decode_policy(*body, *current);
    };
    if (route_name == "/api/v1/events/{slug}/policy") {
        if (method == http::verb::get) {
            auto p = service_.policy(seg[3]);
            if (!p) return fail(p.error());
            return send(http::status::ok, to_json(*p));
        }
        if (method != http::verb::put) return wrong_method();
        auto p = proposed_policy();
        if (!p) return fail(p.error());
        auto saved = service_.set_policy(seg[3], *p);
        if (!saved) return fail(saved.error());
        return send(http::status::ok, to_json(*saved));
    }
    if (route_name == "/api/v1/events/{slug}/policy/dry-run") {
        if (method != http::verb::post) return wrong_method();
        auto p = proposed_policy();
        if (!p) return fail(p.error());
        auto report = service_.dry_run(seg[3], *p);
        if (!report) return fail(report.error());
        return send(http::status::ok, to_json(*report));
    }
    if (route_name == "/api/v1/events/{slug}/decisions") {
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        if (!allowed(seg[3])) return;
        auto d = decode_bulk_decision(*body, seg[3]);
        if (!d) return fail(d.error());
        if (!allowed(seg[3], d->action)) return;
        d->actor = who.name;
        auto out = service_.decide_bulk(*d);
        if (!out) return fail(out.error());
        json items = json::array();
        for (const bulk_item& item : out->items) {
            if (item.outcome)
                items.push_back({{"id", item.id}, {"question", to_json(*item.outcome)}});
            else
                items.push_back({{"id", item.id},
                                 {"error", error_body(item.outcome.error())["error"]}});
        }
        json answer = {{"items", std::move(items)}};
        if (d->cluster) answer["more"] = out->more;
        return send(http::status::ok, std::move(answer));
    }
    if (route_name == "/api/v1/events/{slug}/shortlist" ||
        route_name == "/api/v1/events/{slug}/shortlist/{id}") {
        const bool one = route_name == "/api/v1/events/{slug}/shortlist/{id}";
        if (one ? method != http::verb::delete_
                : method != http::verb::get && method != http::verb::post)
            return wrong_method();
        auto ev = db_.find_event(seg[3]);
        if (!ev) return fail(ev.error());
        auto entry_json = [](const shortlist_entry& e) {
            return json{{"question", to_json(e.q)},
                        {"added_by", e.added_by},
                        {"added_at", format_time(e.added_at)}};
        };
        if (one) {
            auto id = parse_int(seg[5]);
            if (!id || *id <= 0) return fail(not_found("not_on_shortlist", "question ids are positive integers"));
            if (status st = db_.shortlist_remove(ev->id, *id); !st) return fail(st);
            return send(http::status::ok, {{"removed", *id}});
        }
        if (method == http::verb::get) {
            auto list = db_.shortlist(ev->id);
            if (!list) return fail(list.error());
            json items = json::array();
            for (const shortlist_entry& e : *list) items.push_back(entry_json(e));
            return send(http::status::ok, {{"items", std::move(items)}});
        }
        auto body = body_object();
        if (!body) return fail(body.error());
        auto qid = body->find("question_id");
        if (qid == body->end() || !qid->is_number_integer() || qid->get<std::int64_t>() <= 0)
            return fail(invalid("invalid_field", "question_id must be a question id"));
        auto added = db_.shortlist_add(ev->id, qid->get<std::int64_t>(), who.name);
        if (!added) return fail(added.error());
        return send(http::status::ok, entry_json(*added));
    }
    if (route_name == "/api/v1/events/{slug}/stream") {
        return reply(error_response(
            invalid("websocket_required", "this endpoint speaks WebSocket; send an upgrade request"),
            req.version(), req.keep_alive()));
    }
    if (route_name.rfind("/api/v1/questions/{id}", 0) == 0) {
        auto id = question_id();
        if (!id) return fail(not_found("question_not_found", "question ids are positive integers"));
        const bool wants_get = route_name == "/api/v1/questions/{id}" ||
                               route_name == "/api/v1/questions/{id}/decisions";
        if (wants_get ? method != http::verb::get : method != http::verb::post)
            return wrong_method();
        // Permissions depend on the question's event (and, for executives, its state).
        if (who.anonymous()) return fail(authorize(who, route_name, method, ""));
        auto target_q = db_.get_question(*id);
        if (!target_q) return fail(target_q.error());
        if (who.r == role::executive && target_q->status != question_status::approved &&
            target_q->status != question_status::answered && route_name != "/api/v1/questions/{id}/decision")
            return fail(not_found("question_not_found", "no approved question with id " + seg[3]));
        if (route_name == "/api/v1/questions/{id}/undo") {
            if (method != http::verb::post) return wrong_method();
            if (!allowed(target_q->event)) return;
            auto body = body_object();
            if (!body) return fail(body.error());
            auto q = service_.undo(*id, who.name);
            if (!q) {
                json b = error_body(q.error());
                if (q.error().kind() == error_kind::conflict)
                    if (auto current = db_.get_question(*id)) b["current"] = to_json(*current);
                reply(json_response(http_status_for(q.error()), b, req));
                return;
            }
            return send(http::status::ok, to_json(*q));
        }
        if (route_name == "/api/v1/questions/{id}") {
            if (method != http::verb::get) return wrong_method();
            if (!allowed(target_q->event)) return;
            return send(http::status::ok, to_json(*target_q));
        }
        if (route_name == "/api/v1/questions/{id}/decisions") {
            if (method != http::verb::get) return wrong_method();
            if (!allowed(target_q->event)) return;
            auto rows = db_.list_decisions(*id);
            if (!rows) return fail(rows.error());
            json items = json::array();
            for (const auto& d : *rows) items.push_back(to_json(d));
            return send(http::status::ok, {{"items", std::move(items)}});
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto d = decode_decision(*body, *id);
        if (!d) return fail(d.error());
        if (!allowed(target_q->event, d->action)) return;
        d->actor = who.name;
        auto updated = service_.decide(*d);
        if (!updated) {
            if (updated.error().kind() == error_kind::conflict) {
                json b = error_body(updated.error());
                auto current = db_.get_question(*id);
                // An executive sees approved and answered questions only, here too.
                const bool visible = current && (who.r != role::executive ||
                                                 current->status == question_status::approved ||
                                                 current->status == question_status::answered);
                if (visible) b["current"] = to_json(*current);
                return send(http::status::conflict, b);
            }
            return fail(updated.error());
        }
        return send(http::status::ok, to_json(*updated));
    }
    if (route_name == "/api/other")
        return fail(not_found("not_found", "no API endpoint at " + t.path));

    if (method != http::verb::get && method != http::verb::head) return wrong_method();
    auto file = files_.serve(t.path);
    if (!file) return fail(not_found("not_found", "nothing at " + t.path));
    response res{http::status::ok, req.version()};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, file->content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(file->body);
    res.prepare_payload();
    if (method == http::verb::head) res.body().clear();
    reply(std::move(res));
}

}  // namespace tribune::server

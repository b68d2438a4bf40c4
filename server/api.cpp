#include "server/api.hpp"

#include <boost/beast/version.hpp>

#include <charconv>

#include "server/http_errors.hpp"
#include "server/request_target.hpp"

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

api::response json_response(http::status st, const json& body, const api::request& req) {
    api::response res{st, req.version()};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = body.dump();
    res.prepare_payload();
    return res;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool is_json_content(const api::request& req) {
    auto it = req.find(http::field::content_type);
    if (it == req.end()) return true;  // tolerated: the body must still parse as JSON
    std::string_view ct = it->value();
    ct = ct.substr(0, ct.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
    return ct == "application/json";
}

}  // namespace

api::api(question_service& service, store& db, hub& h, metrics& m, const static_files& files,
         const config& cfg)
    : service_(service), db_(db), hub_(h), metrics_(m), files_(files), cfg_(cfg) {}

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

std::variant<api::stream_target, api::response> api::match_stream(const request& req) {
    auto t = request_target::parse(req.target());
    const auto& s = t ? t->segments : std::vector<std::string>{};
    if (!t || s.size() != 5 || s[0] != "api" || s[1] != "v1" || s[2] != "events" || s[4] != "stream")
        return error_response(not_found("not_found", "no WebSocket endpoint at this path"),
                              req.version(), false);
    stream_target out;
    out.event = s[3];
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

void api::handle(const request& req, responder reply) {
    const auto started = clock::now();
    auto t = request_target::parse(req.target());
    std::string route_name = "other";
    if (t) {
        const auto& s = t->segments;
        if (s.size() == 1 && s[0] == "healthz") route_name = "/healthz";
        else if (s.size() == 1 && s[0] == "metrics") route_name = "/metrics";
        else if (s.size() >= 2 && s[0] == "api" && s[1] == "v1") {
            if (s.size() == 3 && s[2] == "events") route_name = "/api/v1/events";
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
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "undo")
                route_name = "/api/v1/questions/{id}/undo";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "vote")
                route_name = "/api/v1/questions/{id}/vote";
            else if (s.size() == 4 && s[2] == "questions") route_name = "/api/v1/questions/{id}";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "decision")
                route_name = "/api/v1/questions/{id}/decision";
            else if (s.size() == 5 && s[2] == "questions" && s[4] == "decisions")
                route_name = "/api/v1/questions/{id}/decisions";
            else route_name = "/api/other";
        } else route_name = "static";
    }
    // Count every answer, whichever thread sends it.
    responder counted = [this, route_name, started, reply = std::move(reply)](response res) {
        metrics_.count_request(route_name, res.result_int(),
                               std::chrono::duration<double>(clock::now() - started).count());
        reply(std::move(res));
    };
    if (!t) {
        counted(error_response(invalid("invalid_target", "malformed request target"),
                               req.version(), false));
        return;
    }
    route(req, route_name, counted);
}

void api::route(const request& req, const std::string& route_name, responder& reply) {
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
        return parse_object(req.body(), 32);
    };
    auto question_id = [&]() -> std::optional<std::int64_t> {
        auto v = parse_int(seg[3]);
        if (!v || *v <= 0) return std::nullopt;
        return v;
    };

    if (route_name == "/healthz") {
        if (method != http::verb::get && method != http::verb::head) return wrong_method();
        return send(http::status::ok, {{"status", "ok"},
                                       {"classifier", service_.model().name()},
                                       {"queue_depth", service_.queue_depth()},
                                       {"websocket_clients", hub_.client_count()}});
    }
    if (route_name == "/metrics") {
        if (method != http::verb::get) return wrong_method();
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
            for (const auto& e : *events) items.push_back(to_json(e));
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
        auto page = db_.list_questions(q);
        if (!page) return fail(page.error());
        json items = json::array();
        for (const question& item : page->items) items.push_back(to_json(item));
        return send(http::status::ok,
                    {{"items", std::move(items)},
                     {"next_cursor", page->next ? json(encode_cursor(*page->next)) : json(nullptr)}});
    }
    if (route_name == "/api/v1/events/{slug}/policy") {
        if (method == http::verb::get) {
            auto p = service_.policy(seg[3]);
            if (!p) return fail(p.error());
            return send(http::status::ok, to_json(*p));
        }
        if (method != http::verb::put) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto current = service_.policy(seg[3]);
        if (!current) return fail(current.error());
        auto p = decode_policy(*body, *current);
        if (!p) return fail(p.error());
        auto saved = service_.set_policy(seg[3], *p);
        if (!saved) return fail(saved.error());
        return send(http::status::ok, to_json(*saved));
    }
    if (route_name == "/api/v1/events/{slug}/policy/dry-run") {
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto current = service_.policy(seg[3]);
        if (!current) return fail(current.error());
        auto p = decode_policy(*body, *current);
        if (!p) return fail(p.error());
        auto report = service_.dry_run(seg[3], *p);
        if (!report) return fail(report.error());
        return send(http::status::ok, to_json(*report));
    }
    if (route_name == "/api/v1/events/{slug}/decisions") {
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto d = decode_bulk_decision(*body, seg[3]);
        if (!d) return fail(d.error());
        auto out = service_.decide_bulk(*d);
        if (!out) return fail(out.error());
        json items = json::array();
        for (const bulk_item& item : *out) {
            if (item.outcome)
                items.push_back({{"id", item.id}, {"question", to_json(*item.outcome)}});
            else
                items.push_back({{"id", item.id},
                                 {"error", error_body(item.outcome.error())["error"]}});
        }
        return send(http::status::ok, {{"items", std::move(items)}});
    }
    if (route_name == "/api/v1/events/{slug}/stream") {
        return reply(error_response(
            invalid("websocket_required", "this endpoint speaks WebSocket; send an upgrade request"),
            req.version(), req.keep_alive()));
    }
    if (route_name.rfind("/api/v1/questions/{id}", 0) == 0) {
        auto id = question_id();
        if (!id) return fail(not_found("question_not_found", "question ids are positive integers"));
        if (route_name == "/api/v1/questions/{id}/undo" || route_name == "/api/v1/questions/{id}/vote") {
            if (method != http::verb::post) return wrong_method();
            auto body = body_object();
            if (!body) return fail(body.error());
            const char* who = route_name.ends_with("/undo") ? "moderator" : "voter";
            auto it = body->find(who);
            if (it != body->end() && !it->is_string() && !it->is_null())
                return fail(invalid("invalid_field", std::string(who) + " must be a string"));
            const std::string name = it != body->end() && it->is_string() ? it->get<std::string>() : "";
            auto q = route_name.ends_with("/undo") ? service_.undo(*id, name) : service_.vote(*id, name);
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
            auto q = db_.get_question(*id);
            if (!q) return fail(q.error());
            return send(http::status::ok, to_json(*q));
        }
        if (route_name == "/api/v1/questions/{id}/decisions") {
            if (method != http::verb::get) return wrong_method();
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
        auto updated = service_.decide(*d);
        if (!updated) {
            if (updated.error().code() == "version_conflict") {
                json b = error_body(updated.error());
                if (auto current = db_.get_question(*id)) b["current"] = to_json(*current);
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

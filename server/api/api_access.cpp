// api routes for access: browser sessions, token management, and the audience's own
// endpoints (ask, vote, read what was approved). Part of class api; see api.hpp.

#include <boost/beast/http.hpp>

#include "server/api/api.hpp"
#include "server/http/http_errors.hpp"
#include "server/http/request_target.hpp"
#include "server/http/request_util.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_public_page = 100;

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

json to_json(const token_info& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"role", to_string(t.r)},
            {"event", t.event_slug.empty() ? json(nullptr) : json(t.event_slug)},
            {"prefix", t.prefix},
            {"created_at", format_time(t.created_at)},
            {"revoked_at", t.revoked_at ? json(format_time(*t.revoked_at)) : json(nullptr)},
            // issue 13: {"requests": 60, "per": "minute"}, or null
            {"quota", t.quota ? json{{"requests", t.quota->requests},
                                     {"per", t.quota->period_s == 1 ? "second" : "minute"}}
                              : json(nullptr)}};
}

// issue 13: a token's optional quota, {"requests": N, "per": "second" | "minute"}.
result<std::optional<token_quota>> read_quota(const json& body) {
    auto q = body.find("quota");
    if (q == body.end() || q->is_null()) return std::optional<token_quota>{};
    auto n = q->is_object() ? q->find("requests") : q->end();
    auto per = q->is_object() ? q->find("per") : q->end();
    if (!q->is_object() || n == q->end() || !n->is_number_integer() ||
        (per != q->end() && (!per->is_string() || (*per != "second" && *per != "minute"))))
        return invalid("invalid_field", "quota must be {\"requests\": N, \"per\": \"second\" | \"minute\"}");
    return std::optional<token_quota>(
        token_quota{n->get<std::int64_t>(), per != q->end() && *per == "minute" ? 60 : 1});
}

json to_json(const principal& p) {
    return {{"name", p.name},
            {"role", to_string(p.r)},
            {"event", p.event_slug.empty() ? json(nullptr) : json(p.event_slug)}};
}

// What the audience may see of a question: no scores, no verdicts.
json public_json(const question& q) {
    return {{"id", q.id},
            {"event", q.event},
            {"text", q.text},
            {"author", q.author ? json(*q.author) : json(nullptr)},
            {"created_at", format_time(q.created_at)},
            {"status", to_string(q.status)},
            {"votes", q.votes}};
}

std::string session_cookie_header(const std::string& secret, std::chrono::seconds max_age) {
    // HttpOnly: scripts cannot read it. SameSite=Strict: other sites' pages never send it.
    return "tribune_session=" + secret + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(max_age.count());
}

}  // namespace

bool api::route_access(const request& req, const std::string& route_name, const principal& who,
                       const client_info& client, responder& reply) {
    const auto t = *request_target::parse(req.target());
    const auto& seg = t.segments;
    const auto method = req.method();
    auto fail = [&](const status& s) {
        reply(error_response(s, req.version(), req.keep_alive()));
        return true;
    };
    auto send = [&](http::status st, const json& body) {
        reply(json_response(st, body, req));
        return true;
    };
    auto wrong_method = [&] {
        return fail(invalid("method_not_allowed",
                            std::string(req.method_string()) + " is not allowed on " + route_name));
    };
    auto body_object = [&]() -> result<json> {
        if (!is_json_content(req))
            return invalid("unsupported_media_type", "send the body as application/json");
        return parse_object(req.body(), cfg_.max_json_depth);
    };

    if (route_name == "/api/v1/session") {
        if (method == http::verb::get) return send(http::status::ok, to_json(who));
        if (method == http::verb::delete_) {
            if (status st = access_.close_session(cookie_value(req, "tribune_session")); !st)
                return fail(st);
            response res = json_response(http::status::ok, {{"signed_out", true}}, req);
            res.set(http::field::set_cookie, session_cookie_header("", std::chrono::seconds(0)));
            reply(std::move(res));
            return true;
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto token = body->find("token");
        if (token == body->end() || !token->is_string())
            return fail(invalid("invalid_field", "token is required"));
        auto s = access_.open_session(token->get<std::string>(), cfg_.session_lifetime);
        if (!s) return fail(s.error());
        response res = json_response(http::status::ok, to_json(s->who), req);
        res.set(http::field::set_cookie,
                session_cookie_header(s->secret, std::chrono::duration_cast<std::chrono::seconds>(
                                                     cfg_.session_lifetime)));
        reply(std::move(res));
        return true;
    }

    if (route_name == "/api/v1/tokens") {
        if (method == http::verb::get) {
            auto tokens = access_.list_tokens();
            if (!tokens) return fail(tokens.error());
            json items = json::array();
            for (const auto& tk : *tokens) items.push_back(to_json(tk));
            return send(http::status::ok, {{"items", std::move(items)}});
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        auto name = body->find("name");
        auto r = body->find("role");
        if (name == body->end() || !name->is_string() || r == body->end() || !r->is_string())
            return fail(invalid("invalid_field", "name and role are required strings"));
        auto parsed_role = role_from_string(r->get<std::string>());
        if (!parsed_role)
            return fail(invalid("invalid_field",
                                "role must be admin, moderator, executive, api_client or analyst"));
        auto quota = read_quota(*body);  // issue 13
        if (!quota) return fail(quota.error());
        std::optional<std::string> event;
        if (auto e = body->find("event"); e != body->end() && !e->is_null()) {
            if (!e->is_string()) return fail(invalid("invalid_field", "event must be a slug"));
            event = e->get<std::string>();
        }
        auto issued = access_.create_token(name->get<std::string>(), *parsed_role, event, *quota);
        if (!issued) return fail(issued.error());
        json out = to_json(issued->info);
        out["token"] = issued->secret;
        return send(http::status::created, out);
    }

    if (route_name == "/api/v1/tokens/{id}") {
        if (method != http::verb::delete_) return wrong_method();
        auto id = parse_int(seg[3]);
        if (!id || *id <= 0) return fail(status::error(error_kind::not_found, "token_not_found",
                                                       "token ids are positive integers"));
        if (status st = access_.revoke(*id); !st) return fail(st);
        return send(http::status::ok, {{"revoked", *id}});
    }

    if (route_name == "/api/v1/public/events/{slug}/questions") {
        const std::string& slug = seg[4];
        if (method == http::verb::get) {
            question_query q;
            q.event_slug = slug;
            q.filter.statuses = {question_status::approved, question_status::answered};
            q.sort = question_sort::votes;
            q.limit = 50;
            if (const std::string* s = t.param("sort")) {
                auto sort = sort_from_string(*s);
                if (!sort) return fail(invalid("invalid_field", "sort must be newest, oldest or votes"));
                q.sort = *sort;
            }
            if (const std::string* l = t.param("limit")) {
                auto v = parse_int(*l);
                if (!v || *v < 1 || *v > static_cast<std::int64_t>(max_public_page))
                    return fail(invalid("invalid_limit", "limit must be an integer from 1 to 100"));
                q.limit = static_cast<std::size_t>(*v);
            }
            if (const std::string* c = t.param("cursor"); c && !c->empty()) {
                question_query probe;
                if (status st = decode_list_query({{"cursor", *c}}, probe); !st) return fail(st);
                q.after = probe.after;
            }
            auto page = db_.list_questions(q);
            if (!page) return fail(page.error());
            json items = json::array();
            for (const auto& item : page->items) items.push_back(public_json(item));
            return send(http::status::ok,
                        {{"items", std::move(items)},
                         {"next_cursor", page->next ? json(encode_cursor(*page->next)) : json(nullptr)}});
        }
        if (method != http::verb::post) return wrong_method();
        auto body = body_object();
        if (!body) return fail(body.error());
        for (const auto& [key, value] : body->items())
            if (key != "text" && key != "author")
                return fail(invalid("invalid_field", "the audience sends text and author only"));
        auto sub = decode_submission(*body, slug);
        if (!sub) return fail(sub.error());
        sub->source = "audience";
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        status st = service_.submit(std::move(*sub), [reply, version, keep_alive](result<submit_outcome> r) {
            if (!r) return reply(error_response(r.error(), version, keep_alive));
            response res{http::status::created, version};
            res.set(http::field::server, "tribune");
            res.set(http::field::content_type, "application/json");
            res.set(http::field::cache_control, "no-store");
            res.keep_alive(keep_alive);
            res.body() = public_json(r->q).dump();
            res.prepare_payload();
            reply(std::move(res));
        });
        if (!st) return fail(st);
        return true;
    }

    if (route_name == "/api/v1/public/questions/{id}/vote") {
        if (method != http::verb::post) return wrong_method();
        auto id = parse_int(seg[4]);
        if (!id || *id <= 0) return fail(status::error(error_kind::not_found, "question_not_found",
                                                       "question ids are positive integers"));
        auto body = body_object();
        if (!body) return fail(body.error());
        // The browser's own random id when it sends one, else the address: one vote each.
        std::string voter = "ip:" + client.ip;
        if (auto v = body->find("voter"); v != body->end() && !v->is_null()) {
            if (!v->is_string() || v->get<std::string>().empty() || v->get<std::string>().size() > 100)
                return fail(invalid("invalid_field", "voter must be a non-empty string of at most 100 bytes"));
            voter = "id:" + v->get<std::string>();
        }
        auto q = service_.vote(*id, voter);
        if (!q) return fail(q.error());
        return send(http::status::ok, public_json(*q));
    }
    return false;
}

}  // namespace tribune::server

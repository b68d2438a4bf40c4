#include "server/api/audience_resource.hpp"

#include <algorithm>

#include "core/domain/voter.hpp"
#include "server/http/responses.hpp"
#include "server/wire/audience_codec.hpp"
#include "server/wire/question_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

audience_resource::audience_resource(const api_services& s)
    : resource(s),
      writes_(s.cfg.rate_audience_per_minute / 60.0,
              std::max(1.0, s.cfg.rate_audience_per_minute / 3.0)) {}

bool audience_resource::admit_write(request_context& ctx, const std::string& participant_key) {
    int retry_after = 1;
    if (writes_.allow(participant_key, retry_after)) return true;
    const status limited = status::error(
        error_kind::rate_limited, "rate_limited",
        "too many questions or votes; retry in " + std::to_string(retry_after) + " s");
    http_response res = error_response(limited, ctx.version(), ctx.keep_alive());
    res.set(http::field::retry_after, std::to_string(retry_after));
    ctx.reply(std::move(res));
    return false;
}

void audience_resource::event(request_context& ctx) {
    auto ev = s_.audience.event(ctx.param("slug"));
    if (!ev) return ctx.fail(ev.error());
    ctx.send(http::status::ok, to_json(*ev));
}

void audience_resource::ask(request_context& ctx) {
    auto ask = ctx.decoded_body(
        [&](const json& body) { return decode_audience_ask(body, ctx.param("slug")); });
    if (!ask) return;
    const std::string key = ask->participant ? voter_key_for_id(*ask->participant)
                                             : voter_key_for_address(ctx.client().ip);
    if (!admit_write(ctx, key)) return;
    // Always 201: each question gets a reference of its own, so nothing is a retry.
    status st = s_.audience.ask(std::move(ask->sub), ask->participant,
                                [reply = ctx.later()](result<submit_outcome> r) {
                                    if (!r) return reply.fail(r.error());
                                    reply.send(http::status::created, audience_json(r->q));
                                });
    if (!st) ctx.fail(st);
}

void audience_resource::list(request_context& ctx) {
    auto q = decode_audience_query(ctx.target().query, ctx.param("slug"));
    if (!q) return ctx.fail(q.error());
    auto page = s_.audience.approved(std::move(*q));
    if (!page) return ctx.fail(page.error());
    ctx.send(http::status::ok, audience_page(*page));
}

void audience_resource::vote(request_context& ctx) {
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("question_not_found", "question ids are positive integers"));
    // The browser's own random id when it sends one, else the address: one vote each.
    auto voter =
        ctx.decoded_body([&](const json& body) { return decode_voter(body, ctx.client().ip); });
    if (!voter) return;
    if (!admit_write(ctx, *voter)) return;
    auto q = s_.audience.vote(*id, *voter);
    if (!q) return ctx.fail(q.error());
    ctx.send(http::status::ok, audience_json(*q));
}

void audience_resource::own(request_context& ctx) {
    auto req = ctx.decoded_body([](const json& body) { return decode_own_questions(body); });
    if (!req) return;
    auto items = s_.audience.own_questions(ctx.param("slug"), req->participant, req->ids);
    if (!items) return ctx.fail(items.error());
    ctx.send(http::status::ok, own_questions_json(*items));
}

}  // namespace tribune::server

#include "server/api/audience_resource.hpp"

#include "server/wire/question_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void audience_resource::ask(request_context& ctx) {
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    auto sub = decode_audience_submission(*body, ctx.param("slug"));
    if (!sub) return ctx.fail(sub.error());
    // Answered after the commit, on a scoring worker.
    status st =
        s_.questions.submit(std::move(*sub), [reply = ctx.later()](result<submit_outcome> r) {
            if (!r) return reply.fail(r.error());
            reply.send(http::status::created, audience_json(r->q));
        });
    if (!st) ctx.fail(st);
}

void audience_resource::list(request_context& ctx) {
    auto q = decode_audience_query(ctx.target().query, ctx.param("slug"));
    if (!q) return ctx.fail(q.error());
    auto page = s_.query.page(*q);
    if (!page) return ctx.fail(page.error());
    ctx.send(http::status::ok, audience_page(*page));
}

void audience_resource::vote(request_context& ctx) {
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("question_not_found", "question ids are positive integers"));
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    // The browser's own random id when it sends one, else the address: one vote each.
    auto voter = decode_voter(*body, ctx.client().ip);
    if (!voter) return ctx.fail(voter.error());
    auto q = s_.questions.vote(*id, *voter);
    if (!q) return ctx.fail(q.error());
    ctx.send(http::status::ok, audience_json(*q));
}

}  // namespace tribune::server

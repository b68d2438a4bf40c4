#include "server/api/audience_resource.hpp"

#include "server/api/submission_reply.hpp"
#include "server/wire/question_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void audience_resource::ask(request_context& ctx) {
    auto sub = ctx.decoded_body(
        [&](const json& body) { return decode_audience_submission(body, ctx.param("slug")); });
    // Always 201: the audience sends no external_id, so nothing is a retry.
    if (sub) submit_and_reply(ctx, s_.questions, std::move(*sub), audience_json);
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
    // The browser's own random id when it sends one, else the address: one vote each.
    auto voter =
        ctx.decoded_body([&](const json& body) { return decode_voter(body, ctx.client().ip); });
    if (!voter) return;
    auto q = s_.questions.vote(*id, *voter);
    if (!q) return ctx.fail(q.error());
    ctx.send(http::status::ok, audience_json(*q));
}

}  // namespace tribune::server

#include "server/api/questions_resource.hpp"

#include "server/api/question_lookup.hpp"
#include "server/api/question_view.hpp"
#include "server/api/submission_reply.hpp"
#include "server/http/executive_visibility.hpp"
#include "server/http/prefer_header.hpp"
#include "server/wire/question_codec.hpp"
#include "server/wire/question_writer.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void questions_resource::submit(request_context& ctx) {
    auto sub = ctx.decoded_body(
        [&](const json& body) { return decode_submission(body, ctx.param("slug")); });
    if (!sub) return;
    const bool minimal = request_prefers_minimal_return(ctx.request());
    const question_encoder encode =
        minimal ? &encode_question_minimal
                : +[](const question& q) { return encode_question(q); };
    submit_and_reply(ctx, s_.questions, std::move(*sub), encode, minimal);
}

void questions_resource::list(request_context& ctx) {
    question_query q;
    q.event_slug = ctx.param("slug");
    if (status st = decode_list_query(ctx.target().query, q); !st) return ctx.fail(st);
    if (status st = restrict_to_visible(ctx.who(), q.filter.statuses); !st) return ctx.fail(st);
    auto fields = fields_for_event(ctx, s_.query, q.event_slug);
    if (!fields) return;
    auto page = s_.query.page(q);
    if (!page) return ctx.fail(page.error());
    ctx.send(http::status::ok, to_json(*page, *fields));
}

void questions_resource::show(request_context& ctx) {
    auto q = find_question(ctx, s_.query, lookup_for::reading);
    if (!q || !ctx.allowed(q->event)) return;
    auto fields = fields_for_event(ctx, s_.query, q->event_id);
    if (fields) ctx.send(http::status::ok, to_json(*q, *fields));
}

}  // namespace tribune::server

#include "server/api/questions_resource.hpp"

#include "server/api/question_lookup.hpp"
#include "server/http/executive_visibility.hpp"
#include "server/wire/question_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void questions_resource::submit(request_context& ctx) {
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    auto sub = decode_submission(*body, ctx.param("slug"));
    if (!sub) return ctx.fail(sub.error());
    // Answered after the commit, on a scoring worker: 201, or 200 for a retry of a stored
    // (source, external_id).
    status st =
        s_.questions.submit(std::move(*sub), [reply = ctx.later()](result<submit_outcome> r) {
            if (!r) return reply.fail(r.error());
            reply.send(r->created ? http::status::created : http::status::ok, to_json(r->q));
        });
    if (!st) ctx.fail(st);
}

void questions_resource::list(request_context& ctx) {
    question_query q;
    q.event_slug = ctx.param("slug");
    if (status st = decode_list_query(ctx.target().query, q); !st) return ctx.fail(st);
    if (status st = restrict_to_visible(ctx.who(), q.filter.statuses); !st) return ctx.fail(st);
    auto page = s_.query.page(q);
    if (!page) return ctx.fail(page.error());
    ctx.send(http::status::ok, to_json(*page));
}

void questions_resource::show(request_context& ctx) {
    auto q = find_question(ctx, s_.query, lookup_for::reading);
    if (!q || !ctx.allowed(q->event)) return;
    ctx.send(http::status::ok, to_json(*q));
}

}  // namespace tribune::server

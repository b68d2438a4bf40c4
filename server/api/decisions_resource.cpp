#include "server/api/decisions_resource.hpp"

#include "server/api/question_lookup.hpp"
#include "server/api/question_view.hpp"
#include "server/http/executive_visibility.hpp"
#include "server/wire/decision_codec.hpp"
#include "server/wire/question_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void decisions_resource::fail_with_current(request_context& ctx, const status& s, std::int64_t id) {
    if (s.kind() != error_kind::conflict) return ctx.fail(s);
    auto current = s_.query.question_by_id(id);
    const bool visible = current && visible_to(ctx.who(), *current);
    if (!visible) return ctx.fail(s, error_body(s, nullptr, {}));
    auto fields = fields_for_event(ctx, s_.query, current->event_id);
    if (fields) ctx.fail(s, error_body(s, &*current, *fields));
}

void decisions_resource::decide(request_context& ctx) {
    auto q = find_question(ctx, s_.query, lookup_for::deciding);
    if (!q) return;
    auto d = ctx.decoded_body([&](const json& body) { return decode_decision(body, q->id); });
    if (!d || !ctx.allowed(q->event, d->action)) return;
    d->actor = ctx.who().name;
    auto updated = s_.questions.decide(*d);
    if (!updated) return fail_with_current(ctx, updated.error(), q->id);
    auto fields = fields_for_event(ctx, s_.query, updated->event_id);
    if (fields) ctx.send(http::status::ok, to_json(*updated, *fields));
}

void decisions_resource::undo(request_context& ctx) {
    auto q = find_question(ctx, s_.query, lookup_for::reading);
    if (!q || !ctx.allowed(q->event)) return;
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    auto undone = s_.questions.undo(q->id, ctx.who().name);
    if (!undone) return fail_with_current(ctx, undone.error(), q->id);
    ctx.send(http::status::ok, to_json(*undone));
}

void decisions_resource::trail(request_context& ctx) {
    auto q = find_question(ctx, s_.query, lookup_for::reading);
    if (!q || !ctx.allowed(q->event)) return;
    auto fields = fields_for_event(ctx, s_.query, q->event_id);
    if (!fields) return;
    auto rows = s_.query.decisions(q->id);
    if (!rows) return ctx.fail(rows.error());
    ctx.send(http::status::ok, to_json(trail_for(std::move(*rows), *fields)));
}

void decisions_resource::decide_bulk(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    if (!ctx.allowed(slug)) return;
    auto d = decode_bulk_decision(*body, slug);
    if (!d) return ctx.fail(d.error());
    if (!ctx.allowed(slug, d->action)) return;
    d->actor = ctx.who().name;
    auto out = s_.questions.decide_bulk(*d);
    if (!out) return ctx.fail(out.error());
    ctx.send(http::status::ok, to_json(*out, d->cluster.has_value()));
}

}  // namespace tribune::server

#include "server/api/shortlist_resource.hpp"

#include "server/api/question_view.hpp"
#include "server/wire/request_errors.hpp"
#include "server/wire/shortlist_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void shortlist_resource::list(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    auto fields = fields_for_event(ctx, s_.query, slug);
    if (!fields) return;
    auto entries = s_.shortlist.list(slug);
    if (!entries) return ctx.fail(entries.error());
    ctx.send(http::status::ok, to_json(*entries, *fields));
}

void shortlist_resource::add(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    auto qid = ctx.decoded_body(decode_shortlist_addition);
    if (!qid) return;
    auto fields = fields_for_event(ctx, s_.query, slug);
    if (!fields) return;
    auto added = s_.shortlist.add(slug, *qid, ctx.who().name);
    if (!added) return ctx.fail(added.error());
    ctx.send(http::status::ok, to_json(*added, *fields));
}

void shortlist_resource::reorder(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    auto order = ctx.decoded_body(decode_shortlist_order);
    if (!order) return;
    auto fields = fields_for_event(ctx, s_.query, slug);
    if (!fields) return;
    auto entries = s_.shortlist.reorder(slug, *order, ctx.who().name);
    if (!entries) return ctx.fail(entries.error());
    ctx.send(http::status::ok, to_json(*entries, *fields));
}

void shortlist_resource::edit(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("not_on_shortlist", "question ids are positive integers"));
    auto in = ctx.decoded_body(decode_shortlist_edit);
    if (!in) return;
    auto fields = fields_for_event(ctx, s_.query, slug);
    if (!fields) return;
    auto edited = s_.shortlist.edit(slug, *id, *in, ctx.who().name);
    if (!edited) return ctx.fail(edited.error());
    ctx.send(http::status::ok, to_json(*edited, *fields));
}

void shortlist_resource::remove(request_context& ctx) {
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("not_on_shortlist", "question ids are positive integers"));
    if (status st = s_.shortlist.remove(ctx.param("slug"), *id, ctx.who().name); !st)
        return ctx.fail(st);
    ctx.send(http::status::ok, shortlist_removal(*id));
}

}  // namespace tribune::server

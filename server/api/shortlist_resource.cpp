#include "server/api/shortlist_resource.hpp"

#include "server/wire/event_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

std::optional<event_info> shortlist_resource::event_of(request_context& ctx) {
    auto ev = s_.query.event(ctx.param("slug"));
    if (!ev) {
        ctx.fail(ev.error());
        return std::nullopt;
    }
    return std::move(*ev);
}

void shortlist_resource::list(request_context& ctx) {
    auto ev = event_of(ctx);
    if (!ev) return;
    auto entries = s_.db.shortlist(ev->id);
    if (!entries) return ctx.fail(entries.error());
    ctx.send(http::status::ok, to_json(*entries));
}

void shortlist_resource::add(request_context& ctx) {
    auto ev = event_of(ctx);
    if (!ev) return;
    auto qid = ctx.decoded_body(decode_shortlist_addition);
    if (!qid) return;
    auto added = s_.db.shortlist_add(ev->id, *qid, ctx.who().name);
    if (!added) return ctx.fail(added.error());
    ctx.send(http::status::ok, to_json(*added));
}

void shortlist_resource::remove(request_context& ctx) {
    auto ev = event_of(ctx);
    if (!ev) return;
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("not_on_shortlist", "question ids are positive integers"));
    if (status st = s_.db.shortlist_remove(ev->id, *id); !st) return ctx.fail(st);
    ctx.send(http::status::ok, shortlist_removal(*id));
}

}  // namespace tribune::server

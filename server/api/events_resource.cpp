#include "server/api/events_resource.hpp"

#include <vector>

#include "server/wire/event_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void events_resource::create(request_context& ctx) {
    auto e = ctx.decoded_body(decode_new_event);
    if (!e) return;
    auto created = s_.db.create_event(*e);
    if (!created) return ctx.fail(created.error());
    ctx.send(http::status::created, to_json(*created, status_counts{}));
}

void events_resource::list(request_context& ctx) {
    auto events = s_.query.events();
    if (!events) return ctx.fail(events.error());
    std::vector<event_info> covered;
    for (event_info& e : *events)
        if (ctx.who().covers(e.slug)) covered.push_back(std::move(e));
    ctx.send(http::status::ok, to_json(covered));
}

void events_resource::show(request_context& ctx) {
    auto ev = s_.query.counts(ctx.param("slug"));
    if (!ev) return ctx.fail(ev.error());
    ctx.send(http::status::ok, to_json(ev->event, ev->counts));
}

}  // namespace tribune::server

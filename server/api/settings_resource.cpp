#include "server/api/settings_resource.hpp"

#include "server/wire/event_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void settings_resource::show(request_context& ctx) {
    auto ev = s_.query.event(ctx.param("slug"));
    if (!ev) return ctx.fail(ev.error());
    auto settings = s_.query.settings(ev->id);
    if (!settings) return ctx.fail(settings.error());
    ctx.send(http::status::ok, to_json(*settings));
}

void settings_resource::replace(request_context& ctx) {
    auto body = ctx.body();
    if (!body) return ctx.fail(body.error());
    auto ev = s_.query.event(ctx.param("slug"));
    if (!ev) return ctx.fail(ev.error());
    auto settings = s_.query.settings(ev->id);
    if (!settings) return ctx.fail(settings.error());
    if (status st = decode_settings_change(*body, *settings); !st) return ctx.fail(st);
    if (status st = s_.db.save_settings(ev->id, *settings); !st) return ctx.fail(st);
    s_.online.close_settings_dependent(ev->slug);
    ctx.send(http::status::ok, to_json(*settings));
}

}  // namespace tribune::server

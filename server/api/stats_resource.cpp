#include "server/api/stats_resource.hpp"

#include "server/http/executive_visibility.hpp"
#include "server/wire/stats_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void stats_resource::show(request_context& ctx) {
    stats_query q;
    q.event_slug = ctx.param("slug");
    if (status st = decode_stats_query(ctx.target().query, q); !st) return ctx.fail(st);
    auto ev = s_.query.event(q.event_slug);
    if (!ev) return ctx.fail(ev.error());
    event_settings settings;
    if (fields_depend_on_settings(ctx.who())) {
        auto read = s_.query.settings(ev->id);
        if (!read) return ctx.fail(read.error());
        settings = *read;
    }
    stats_scope(ctx.who(), settings, q);
    auto stats = s_.gauge.compute(q);
    if (!stats) return ctx.fail(stats.error());
    ctx.send(http::status::ok, to_json(*stats, q, fields_for(ctx.who(), settings)));
}

}  // namespace tribune::server

#include "server/api/sources_resource.hpp"

#include "core/util/wall_clock.hpp"
#include "server/wire/request_errors.hpp"
#include "server/wire/source_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

json sources_resource::with_status(const bridge_source& s) {
    return to_json(s, s_.bridges.health().get(s.id, wall_clock_ms()));
}

std::optional<bridge_source> sources_resource::path_source(request_context& ctx) {
    const auto missing = [&] {
        ctx.fail(not_found("source_not_found", "no such source in event " + ctx.param("slug")));
        return std::optional<bridge_source>();
    };
    auto id = ctx.id_param("id");
    if (!id) return missing();
    auto s = s_.sources.get(*id);
    if (!s) {
        if (s.error().kind() == error_kind::not_found) return missing();
        ctx.fail(s.error());
        return std::nullopt;
    }
    if (s->event_slug != ctx.param("slug")) return missing();
    return *s;
}

void sources_resource::list(request_context& ctx) {
    auto sources = s_.sources.list(ctx.param("slug"));
    if (!sources) return ctx.fail(sources.error());
    ctx.send(http::status::ok, item_list(*sources, [this](const bridge_source& s) { return with_status(s); }));
}

void sources_resource::create(request_context& ctx) {
    const std::string slug = ctx.param("slug");
    auto in = ctx.decoded_body([&slug](const json& body) { return decode_source_input(body, slug); });
    if (!in) return;
    in->created_by = ctx.who().name;
    auto created = s_.sources.create(*in);
    if (!created) return ctx.fail(created.error());
    s_.bridges.wake();
    ctx.send(http::status::created, with_status(*created));
}

void sources_resource::show(request_context& ctx) {
    auto s = path_source(ctx);
    if (!s) return;
    ctx.send(http::status::ok, with_status(*s));
}

void sources_resource::set_paused(request_context& ctx, bool paused) {
    auto s = path_source(ctx);
    if (!s) return;
    auto changed = s_.sources.set_paused(s->id, paused);
    if (!changed) return ctx.fail(changed.error());
    s_.bridges.wake();
    ctx.send(http::status::ok, with_status(*changed));
}

void sources_resource::remove(request_context& ctx) {
    auto s = path_source(ctx);
    if (!s) return;
    if (status st = s_.sources.remove(s->id); !st) return ctx.fail(st);
    s_.bridges.wake();
    ctx.send(http::status::ok, source_deletion(s->id));
}

}  // namespace tribune::server

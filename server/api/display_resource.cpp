#include "server/api/display_resource.hpp"

#include <memory>

#include "server/live/display_protocol.hpp"
#include "server/live/websocket_session.hpp"
#include "server/wire/request_errors.hpp"
#include "server/wire/shortlist_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

constexpr std::int64_t default_next = 3;

}  // namespace

std::optional<display_resource::admitted> display_resource::admit(request_context& ctx) {
    const std::string& slug = ctx.param("slug");
    const bool anonymous = ctx.who().anonymous();
    // A token: its role and event scope, before anything is read.
    if (!anonymous && !ctx.allowed_public(slug, false)) return std::nullopt;
    auto ev = s_.query.event(slug);
    if (!ev) {
        // Not even whether the event exists is told to a caller without a token (401).
        if (!anonymous || ctx.allowed_public(slug, false)) ctx.fail(ev.error());
        return std::nullopt;
    }
    auto settings = s_.query.settings(ev->id);
    if (!settings) {
        ctx.fail(settings.error());
        return std::nullopt;
    }
    if (anonymous && !ctx.allowed_public(slug, settings->display_public)) return std::nullopt;
    return admitted{std::move(*ev), *settings};
}

void display_resource::show(request_context& ctx) {
    auto in = admit(ctx);
    if (!in) return;
    std::int64_t next = default_next;
    if (const std::string* n = ctx.target().param("next")) {
        auto v = parse_int(*n);
        if (!v || *v < 0 || *v > static_cast<std::int64_t>(display_protocol::next_count))
            return ctx.fail(invalid("invalid_field", "next must be an integer from 0 to " +
                                                         std::to_string(display_protocol::next_count)));
        next = *v;
    }
    auto entries = s_.shortlist.list(in->event.slug);
    if (!entries) return ctx.fail(entries.error());
    ctx.send(http::status::ok,
             display_json(in->event, in->settings,
                          display_of(*entries, static_cast<std::size_t>(next))));
}

std::optional<stream_opener> display_resource::open(request_context& ctx) {
    auto in = admit(ctx);
    if (!in) return std::nullopt;
    const principal& p = ctx.who();
    stream_identity who{p.token_id, p.name, p.r};
    return [s = s_, in = std::move(*in), who = std::move(who)](
               boost::asio::ip::tcp::socket&& socket, http_request&& req) {
        auto protocol = std::make_unique<display_protocol>(s.stream_hub, s.query, s.shortlist,
                                                           s.cfg, in.event, in.settings);
        auto ws = std::make_shared<websocket_session>(std::move(socket), s.online, s.cfg,
                                                      in.event.slug, who, std::move(protocol));
        ws->run(std::move(req));
    };
}

void display_resource::plain_http(request_context& ctx) {
    ctx.fail(
        invalid("websocket_required", "this endpoint speaks WebSocket; send an upgrade request"));
}

}  // namespace tribune::server

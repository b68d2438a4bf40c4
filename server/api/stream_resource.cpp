#include "server/api/stream_resource.hpp"

#include <memory>

#include "server/http/executive_visibility.hpp"
#include "server/live/display_protocol.hpp"
#include "server/live/per_change_protocol.hpp"
#include "server/live/view_protocol.hpp"
#include "server/live/websocket_session.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

std::optional<stream_lens> stream_resource::lens_of(request_context& ctx, const event_info& ev,
                                                    bool view) {
    stream_lens lens;
    if (!fields_depend_on_settings(ctx.who())) return lens;
    if (!view) {
        ctx.fail(status::error(error_kind::forbidden, "forbidden",
                               "executives read the live stream with ?mode=view, which shows "
                               "them approved and answered questions only"));
        return std::nullopt;
    }
    auto settings = s_.query.settings(ev.id);
    if (!settings) {
        ctx.fail(settings.error());
        return std::nullopt;
    }
    lens.public_only = true;
    lens.fields = fields_for(ctx.who(), *settings);
    return lens;
}

std::optional<stream_opener> stream_resource::open(request_context& ctx) {
    std::string event = ctx.param("slug");
    auto ev = s_.query.event(event);
    if (!ev) {
        ctx.fail(ev.error());
        return std::nullopt;
    }
    std::optional<std::uint64_t> since;
    if (const std::string* text = ctx.target().param("since")) {
        auto v = parse_int(*text);
        if (!v || *v < 0) {
            ctx.fail(invalid("invalid_since", "since must be a non-negative integer"));
            return std::nullopt;
        }
        since = static_cast<std::uint64_t>(*v);
    }
    const std::string* epoch_param = ctx.target().param("epoch");
    std::string epoch = epoch_param ? *epoch_param : std::string();
    const std::string* mode = ctx.target().param("mode");
    const bool view = mode != nullptr && *mode == "view";
    auto lens = lens_of(ctx, *ev, view);
    if (!lens) return std::nullopt;
    const principal& p = ctx.who();
    stream_identity who{p.token_id, p.name, p.r};
    return [s = s_, event = std::move(event), since, epoch = std::move(epoch), view, lens = *lens,
            who = std::move(who)](boost::asio::ip::tcp::socket&& socket, http_request&& req) {
        std::unique_ptr<stream_protocol> protocol;
        if (view)
            protocol = std::make_unique<view_protocol>(s.stream_hub, s.online, s.query, s.shortlist,
                                                       s.cfg, event, since, epoch, lens);
        else
            protocol = std::make_unique<per_change_protocol>(s.stream_hub, s.query, s.cfg, event,
                                                             since, epoch);
        auto ws = std::make_shared<websocket_session>(std::move(socket), s.online, s.cfg, event,
                                                      who, std::move(protocol));
        ws->run(std::move(req));
    };
}

void stream_resource::plain_http(request_context& ctx) {
    ctx.fail(
        invalid("websocket_required", "this endpoint speaks WebSocket; send an upgrade request"));
}

}  // namespace tribune::server

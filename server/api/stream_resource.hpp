#pragma once
// stream_resource: the live stream's endpoint, GET /api/v1/events/{slug}/stream (docs/api.md
// "Live stream"). An upgrade request for an existing event opens a websocket_session with
// the protocol `mode` names (view, else per change) and the resume point `since`/`epoch`;
// a plain HTTP request is told to upgrade. Executives may open the view protocol only, and
// see through their lens (stream_lens.hpp: approved and answered questions, the members the
// event's settings allow).
//
// Thread safety: handlers may run on any io thread concurrently; an opener runs once, on
// the connection's strand.

#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"
#include "server/live/stream_lens.hpp"

namespace tribune::server {

class stream_resource : public resource {
  public:
    using resource::resource;

    // The upgrade handler of the route.
    std::optional<stream_opener> open(request_context& ctx);
    // The route's handler: 400 websocket_required.
    void plain_http(request_context& ctx);

  private:
    // What the caller's stream may see of `ev`, or empty after answering why it may not open
    // one (an executive asking for the per-change protocol; unreadable settings).
    std::optional<stream_lens> lens_of(request_context& ctx, const event_info& ev, bool view);
};

}  // namespace tribune::server

#pragma once
// stream_resource: the live stream's endpoint, GET /api/v1/events/{slug}/stream (docs/api.md
// "Live stream"). An upgrade request for an existing event opens a websocket_session with
// the protocol `mode` names (view, else per change) and the resume point `since`/`epoch`;
// a plain HTTP request is told to upgrade.
//
// Thread safety: handlers may run on any io thread concurrently; an opener runs once, on
// the connection's strand.

#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class stream_resource : public resource {
  public:
    using resource::resource;

    // The upgrade handler of the route.
    std::optional<stream_opener> open(request_context& ctx);
    // The route's handler: 400 websocket_required.
    void plain_http(request_context& ctx);
};

}  // namespace tribune::server

#pragma once
// display_resource: the room's display of an event (docs/api.md "The room's display"):
// GET /api/v1/events/{slug}/display (the display as JSON) and its live stream,
// GET /api/v1/events/{slug}/display/stream (WebSocket, display_protocol). Readable with a
// display token, an executive's, a moderator's or an admin's, and without any token when an
// admin made the event's display public (event settings, display_public).
//
// Thread safety: handlers may run on any io thread concurrently; an opener runs once, on
// the connection's strand.

#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class display_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
    // The stream route's upgrade handler, and its handler for plain HTTP (400).
    std::optional<stream_opener> open(request_context& ctx);
    void plain_http(request_context& ctx);

  private:
    struct admitted {
        event_info event;
        event_settings settings;
    };
    // The event and its settings once the caller is let in, or empty after answering why not
    // (404 event_not_found, 401 for a caller without a token when the display is not public).
    std::optional<admitted> admit(request_context& ctx);
};

}  // namespace tribune::server

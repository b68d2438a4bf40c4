#pragma once
// sources_resource: an admin's management of an event's social-network sources (issue 16,
// docs/api.md "Sources"):
//   GET    /api/v1/events/{slug}/sources               list, each with its status
//   POST   /api/v1/events/{slug}/sources               add a Mastodon or Bluesky hashtag: 201
//   GET    /api/v1/events/{slug}/sources/{id}          one source and its status
//   POST   /api/v1/events/{slug}/sources/{id}/pause    stop taking its posts
//   POST   /api/v1/events/{slug}/sources/{id}/resume   take them again (from its cursor)
//   DELETE /api/v1/events/{slug}/sources/{id}          remove it (its questions stay)
// Admin tokens only (routes.cpp). Every change wakes the bridges (server/bridges/).
//
// Thread safety: handlers may run on any io thread concurrently.

#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class sources_resource : public resource {
  public:
    using resource::resource;

    void list(request_context& ctx);
    void create(request_context& ctx);
    void show(request_context& ctx);
    void pause(request_context& ctx) { set_paused(ctx, true); }
    void resume(request_context& ctx) { set_paused(ctx, false); }
    void remove(request_context& ctx);

  private:
    void set_paused(request_context& ctx, bool paused);
    // The path's source when it belongs to the path's event, or empty after answering 404.
    std::optional<bridge_source> path_source(request_context& ctx);
    json with_status(const bridge_source& s);
};

}  // namespace tribune::server

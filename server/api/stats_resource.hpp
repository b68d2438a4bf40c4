#pragma once
// stats_resource: the gauge of public opinion as JSON (docs/api.md "Stats"):
// GET /api/v1/events/{slug}/stats (moderators, executives, admins). An executive reads
// numbers about approved and answered questions only, attributes only when the event lets
// executives see scores, and no words (executive_visibility.hpp: stats_scope).
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class stats_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
};

}  // namespace tribune::server

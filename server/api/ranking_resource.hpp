#pragma once
// ranking_resource: the executives' ranking of an event's approved and answered questions
// (docs/api.md "Ranking"): GET /api/v1/events/{slug}/ranking (executives, moderators,
// admins), ranked now by the transparent score of ranking_service.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class ranking_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
};

}  // namespace tribune::server

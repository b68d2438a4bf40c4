#pragma once
// suggestions_resource: the admin's export of the scores Perspective clients suggested
// (docs/api.md "Perspective-compatible API"), GET /api/v1/perspective/suggestions
// ?after=ID&limit=N, oldest first, for per-event learning or a retraining.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class suggestions_resource : public resource {
  public:
    using resource::resource;

    void list(request_context& ctx);
};

}  // namespace tribune::server

#pragma once
// health_resource: the operator's endpoints (docs/api.md "Operations"): GET /healthz and
// GET /metrics (Prometheus text).
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class health_resource : public resource {
  public:
    using resource::resource;

    void health(request_context& ctx);
    void metrics_text(request_context& ctx);
};

}  // namespace tribune::server

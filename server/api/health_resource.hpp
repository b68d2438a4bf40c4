#pragma once
// health_resource: the operator's endpoints (docs/api.md "Operations"): GET /healthz and
// GET /metrics (Prometheus text).
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class health_resource {
  public:
    explicit health_resource(const api_services& s) : s_(s) {}

    void health(request_context& ctx);
    void metrics_text(request_context& ctx);

  private:
    api_services s_;
};

}  // namespace tribune::server

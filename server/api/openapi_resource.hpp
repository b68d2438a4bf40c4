#pragma once
// openapi_resource: the API's description, docs/openapi.yaml compiled into the binary, at
// GET /api/v1/openapi.yaml (open to anyone).
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class openapi_resource : public resource {
  public:
    using resource::resource;

    void document(request_context& ctx);
};

}  // namespace tribune::server

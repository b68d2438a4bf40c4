#pragma once
// tokens_resource: access tokens, for admins (docs/api.md "Access", Token management):
// POST /api/v1/tokens makes one (its secret shown once), GET lists them, DELETE
// /api/v1/tokens/{id} revokes one.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class tokens_resource : public resource {
  public:
    using resource::resource;

    void create(request_context& ctx);
    void list(request_context& ctx);
    void revoke(request_context& ctx);
};

}  // namespace tribune::server

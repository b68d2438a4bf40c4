#pragma once
// webhooks_resource: the admin's management of outbound webhooks (docs/api.md "Webhooks"):
//   GET    /api/v1/webhooks[?event=SLUG]         list (secrets not shown)
//   POST   /api/v1/webhooks                      create: 201 with the secret, shown once
//   GET    /api/v1/webhooks/{id}                 one hook
//   PATCH  /api/v1/webhooks/{id}                 url, events, enabled, rotate_secret
//   DELETE /api/v1/webhooks/{id}                 the hook, its outbox and its log
//   GET    /api/v1/webhooks/{id}/deliveries      the delivery log, newest first
// Admin tokens only (routes.cpp). Delivery itself is server/hooks/webhook_dispatcher's.
//
// Thread safety: handlers may run on any io thread concurrently.

#include <cstdint>
#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class webhooks_resource : public resource {
  public:
    using resource::resource;

    void list(request_context& ctx);
    void create(request_context& ctx);
    void show(request_context& ctx);
    void change(request_context& ctx);
    void remove(request_context& ctx);
    void deliveries(request_context& ctx);

  private:
    // The {id} of the path, or empty after answering 404.
    static std::optional<std::int64_t> hook_id(request_context& ctx);
};

}  // namespace tribune::server

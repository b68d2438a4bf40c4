#pragma once
// webhooks_api: the admin's management of outbound webhooks (docs/api.md "Webhooks").
//
//   GET    /api/v1/webhooks[?event=SLUG]        list (secrets not shown)
//   POST   /api/v1/webhooks                     create -> 201 with the secret, shown once
//   GET    /api/v1/webhooks/{id}                one hook
//   PATCH  /api/v1/webhooks/{id}                url, events, enabled, rotate_secret
//   DELETE /api/v1/webhooks/{id}                remove it, its outbox and its log
//   GET    /api/v1/webhooks/{id}/deliveries     the delivery log, newest first
//
// api authenticates and authorizes first (admin only: access_rules denies other roles).
// Thread safety: route() may be called from any io thread concurrently.
// Ownership: borrows the service; the app owns it.

#include <string>

#include "core/service/webhook_service.hpp"
#include "server/api/api.hpp"

namespace tribune::server {

class webhooks_api {
public:
    webhooks_api(webhook_service& hooks, const config& cfg) : hooks_(hooks), cfg_(cfg) {}

    // True when `route` is one of the above (and the answer was sent).
    bool route(const api::request& req, const std::string& route, const principal& who,
               const api::responder& reply);

private:
    webhook_service& hooks_;
    const config& cfg_;
};

}  // namespace tribune::server

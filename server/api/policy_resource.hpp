#pragma once
// policy_resource: an event's triage policy (docs/api.md "Triage"): GET and PUT
// /api/v1/events/{slug}/policy, and POST .../policy/dry-run to see what a change would move.
//
// Thread safety: handlers may run on any io thread concurrently.

#include <optional>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class policy_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
    void replace(request_context& ctx);
    void dry_run(request_context& ctx);

  private:
    // The body of a policy change read onto the policy in force (members absent keep
    // theirs), or empty after answering why not.
    std::optional<event_policy> proposed(request_context& ctx);
};

}  // namespace tribune::server

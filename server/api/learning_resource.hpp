#pragma once
// learning_resource: an event's learning from its moderators' decisions (docs/api.md
// "Learning from the moderators"): GET /api/v1/events/{slug}/learning reports what the event's
// correction learned from; POST .../learning/reset (admins) forgets it.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class learning_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
    void reset(request_context& ctx);
};

}  // namespace tribune::server

#pragma once
// decisions_resource: moderators' decisions (docs/api.md "Questions"): POST
// /api/v1/questions/{id}/decision, its undo, the audit trail (GET .../decisions), and bulk
// decisions on an event (POST /api/v1/events/{slug}/decisions). A refused decision (409)
// shows the question as it is now, to a caller who may see it.
//
// Every route here is checked_by_handler: the rule depends on the question's event or on
// the decision's action, known only after reading them.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class decisions_resource : public resource {
  public:
    using resource::resource;

    void decide(request_context& ctx);
    void undo(request_context& ctx);
    void trail(request_context& ctx);
    void decide_bulk(request_context& ctx);

  private:
    // A conflict answered with "current" when `who` may see the question now.
    void fail_with_current(request_context& ctx, const status& s, std::int64_t id);
};

}  // namespace tribune::server

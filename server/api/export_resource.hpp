#pragma once
// export_resource: every question of an event with its scores, group, state and audit trail
// (docs/api.md "Export"): GET /api/v1/events/{slug}/export?format=csv|jsonl (moderators,
// admins), written a page at a time (export_service) as a chunked body, so the memory an
// export holds is one page whatever the event's size.
//
// Thread safety: handlers may run on any io thread concurrently; each export's cursor is
// used by its connection's strand only.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class export_resource : public resource {
  public:
    using resource::resource;

    void download(request_context& ctx);
};

}  // namespace tribune::server

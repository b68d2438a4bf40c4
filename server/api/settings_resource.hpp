#pragma once
// settings_resource: an event's settings (docs/api.md "Event settings"):
// GET /api/v1/events/{slug}/settings (any token that covers the event) and PUT (admins; the
// members given replace the current ones). A change closes the event's streams whose lens
// depends on the settings (executives, displays), which reconnect under the new settings.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class settings_resource : public resource {
  public:
    using resource::resource;

    void show(request_context& ctx);
    void replace(request_context& ctx);
};

}  // namespace tribune::server

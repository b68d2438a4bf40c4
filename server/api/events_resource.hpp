#pragma once
// events_resource: events (docs/api.md "Events"): POST /api/v1/events makes one (admin),
// GET lists those the caller's token covers, GET /api/v1/events/{slug} shows one with its
// counts per state.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class events_resource : public resource {
  public:
    using resource::resource;

    void create(request_context& ctx);
    void list(request_context& ctx);
    void show(request_context& ctx);
};

}  // namespace tribune::server

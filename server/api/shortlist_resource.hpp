#pragma once
// shortlist_resource: the executives' shortlist of an event (docs/api.md "The executives'
// shortlist"): GET and POST /api/v1/events/{slug}/shortlist, DELETE .../shortlist/{id}.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class shortlist_resource : public resource {
  public:
    using resource::resource;

    void list(request_context& ctx);
    void add(request_context& ctx);
    void remove(request_context& ctx);

  private:
    // The event the path names, or empty after answering 404.
    std::optional<event_info> event_of(request_context& ctx);
};

}  // namespace tribune::server

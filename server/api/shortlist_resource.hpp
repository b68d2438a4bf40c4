#pragma once
// shortlist_resource: the executives' shortlist of an event (docs/api.md "The executives'
// shortlist"): GET (executives, moderators), POST (add), PUT (the order), PATCH .../{id}
// (note, answering now, answered) and DELETE .../{id} (executives) on
// /api/v1/events/{slug}/shortlist. Every change reaches the live streams (shortlist_service).
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
    void reorder(request_context& ctx);
    void edit(request_context& ctx);
    void remove(request_context& ctx);
};

}  // namespace tribune::server

#pragma once
// questions_resource: an event's questions (docs/api.md "Questions"): POST
// /api/v1/events/{slug}/questions ingests one (answered after its group commit), GET lists
// them (filters, sort, cursor), GET /api/v1/questions/{id} reads one.
//
// Thread safety: handlers may run on any io thread concurrently; an ingested question is
// answered from a scoring worker.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class questions_resource : public resource {
  public:
    using resource::resource;

    void submit(request_context& ctx);
    void list(request_context& ctx);
    void show(request_context& ctx);
};

}  // namespace tribune::server

#pragma once
// audience_resource: the audience's endpoints, open to anyone (docs/api.md "Access", The
// audience): ask a question, read what was approved, vote.
//
// Thread safety: handlers may run on any io thread concurrently; an asked question is
// answered from a scoring worker.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class audience_resource : public resource {
  public:
    using resource::resource;

    void ask(request_context& ctx);
    void list(request_context& ctx);
    void vote(request_context& ctx);
};

}  // namespace tribune::server

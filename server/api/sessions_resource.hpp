#pragma once
// sessions_resource: browser sessions (docs/api.md "Access", Browsers): POST
// /api/v1/session signs in with a token and sets the cookie, GET says who you are, DELETE
// signs out.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class sessions_resource : public resource {
  public:
    using resource::resource;

    void sign_in(request_context& ctx);
    void who_am_i(request_context& ctx);
    void sign_out(request_context& ctx);
};

}  // namespace tribune::server

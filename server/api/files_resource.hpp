#pragma once
// files_resource: the dashboard's pages, scripts and styles from the web root (GET and
// HEAD of any path outside the API), the room's display page at /display/{slug}, the audience's page at /e/{slug}, and the 404
// for a path under /api/v1 that names no endpoint.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class files_resource : public resource {
  public:
    using resource::resource;

    void file(request_context& ctx);
    // web/display.html, whatever the slug (the page reads it from its own path).
    void display_page(request_context& ctx);
    // web/audience.html, whatever the slug (likewise).
    void audience_page(request_context& ctx);
    void no_endpoint(request_context& ctx);

  private:
    void serve(request_context& ctx, const std::string& path);
};

}  // namespace tribune::server

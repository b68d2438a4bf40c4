#pragma once
// discovery_resource: the discovery document Google's API client libraries fetch to build a
// Perspective client, GET /$discovery/rest?version=v1alpha1 (and under --perspective-prefix),
// whose rootUrl and servicePath lead back to this server's analysis routes
// (docs/perspective.md "Google's client libraries").
//
// rootUrl is --public-url when set; else the scheme and host the client used, from
// X-Forwarded-Proto and X-Forwarded-Host (behind a reverse proxy) or Host.
//
// Thread safety: handlers may run on any io thread concurrently.

#include <string>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class discovery_resource : public resource {
  public:
    using resource::resource;

    // `service_path` is where the analysis routes are under the root: "" or "prefix/".
    void document(request_context& ctx, const std::string& service_path);

  private:
    std::string root_url(const http_request& req) const;
};

}  // namespace tribune::server

#pragma once
// perspective_resource: the Perspective-compatible analysis routes (docs/perspective.md),
// served at the root and under --perspective-prefix:
//   POST    /v1alpha1/comments:analyze       scores a comment; nothing is stored or logged
//   POST    /v1alpha1/comments:suggestscore  stores the client's suggested scores
//   OPTIONS either of them                   the CORS preflight of a browser client
// The routes speak Google's dialect and take an analyst (or admin) key as Google's clients
// send it (routes.cpp); admission holds the key to its quota.
//
// Thread safety: handlers may run on any io thread concurrently.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

class perspective_resource : public resource {
  public:
    using resource::resource;

    void analyze(request_context& ctx);
    void suggest_score(request_context& ctx);
    void preflight(request_context& ctx);
};

}  // namespace tribune::server

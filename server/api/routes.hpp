#pragma once
// routes: the server's route table — every endpoint, who may call it, and which resource
// handles it (docs/api.md is the contract it implements).
//
// Thread safety: build once, before serving.

#include "server/api/api_services.hpp"
#include "server/http/route_table.hpp"

namespace tribune::server {

// Adds every route to `table`; the handlers share the resources they bind to.
void add_routes(route_table& table, const api_services& services);

}  // namespace tribune::server

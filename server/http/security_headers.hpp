#pragma once
// security_headers: the headers every answer carries (docs/api.md "Access", Headers): a
// Content-Security-Policy without inline script, no framing, no MIME sniffing, no referrer.
//
// Thread safety: pure function.

#include "server/http/route_table.hpp"

namespace tribune::server {

void add_security_headers(http_response& res);

}  // namespace tribune::server

#pragma once
// access_rules: which role may call which route. The one table of permissions.
//
// Thread safety: pure functions.

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/beast/http/verb.hpp>

#include <string>
#include <string_view>

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"

namespace tribune::server {

// `route` is the route pattern; `event_slug` the event the request acts on, empty when it
// acts on none (or it is not known yet). `action` is the decision action for decision routes.
// Errors: unauthenticated (code "authentication_required") for an anonymous principal on a
// protected route; forbidden (code "forbidden") otherwise.
status authorize(const principal& who, const std::string& route, boost::beast::http::verb method,
                 std::string_view event_slug, std::string_view action = {});

// True for routes anyone may call without credentials (/healthz, the audience endpoints,
// the dashboard's static files, the sign-in exchange).
bool is_public(const std::string& route, boost::beast::http::verb method);

}  // namespace tribune::server

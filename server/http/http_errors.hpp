#pragma once
// The one mapping from core's error values to HTTP status codes.

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/beast/http/status.hpp>

#include "core/domain/status.hpp"

namespace tribune::server {

boost::beast::http::status http_status_for(const status& s);

}  // namespace tribune::server

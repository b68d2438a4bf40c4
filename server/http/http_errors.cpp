#include "server/http/http_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

http::status http_status_for(const status& s) {
    switch (s.kind()) {
        case error_kind::ok: return http::status::ok;
        case error_kind::invalid_argument:
            if (s.code() == "body_too_large") return http::status::payload_too_large;
            if (s.code() == "unsupported_media_type") return http::status::unsupported_media_type;
            if (s.code() == "method_not_allowed") return http::status::method_not_allowed;
            return http::status::bad_request;
        case error_kind::not_found: return http::status::not_found;
        case error_kind::conflict: return http::status::conflict;
        case error_kind::unavailable: return http::status::service_unavailable;
        case error_kind::unauthenticated: return http::status::unauthorized;
        case error_kind::forbidden: return http::status::forbidden;
        case error_kind::rate_limited: return http::status::too_many_requests;
        case error_kind::internal: return http::status::internal_server_error;
    }
    return http::status::internal_server_error;
}

}  // namespace tribune::server

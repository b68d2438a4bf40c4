#pragma once
// request_errors: shorthands for the errors a request's content earns, shared by the wire
// decoders and the API resources (the HTTP status of each comes from http_status_for()).
//
// Thread safety: pure functions.

#include <string>
#include <utility>

#include "core/domain/status.hpp"

namespace tribune::server {

// 400 (or 405, 413, 415 for the codes http_status_for() names).
inline status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

// 400 invalid_field: a member of the right name with the wrong type or value.
inline status invalid_field(std::string message) { return invalid("invalid_field", std::move(message)); }

// 404.
inline status not_found(std::string code, std::string message) {
    return status::error(error_kind::not_found, std::move(code), std::move(message));
}

}  // namespace tribune::server

#pragma once
// openapi_document: docs/openapi.yaml, compiled into the binary (server/CMakeLists.txt
// generates its definition), served at GET /api/v1/openapi.yaml.
//
// Thread safety: returns a view of immutable static data.

#include <string_view>

namespace tribune::server {

std::string_view openapi_yaml();

}  // namespace tribune::server

#pragma once
// responses: every HTTP answer the server builds — a JSON document, an error in the wire
// format (status from http_status_for()), plain text, a file. Built in one place so each
// carries the same Server, Content-Type, Cache-Control and keep-alive handling.
//
// Thread safety: pure functions.

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/beast/http.hpp>

#include <string>
#include <string_view>

#include "core/domain/status.hpp"
#include "server/http/route_table.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// A JSON answer (Cache-Control: no-store).
http_response json_response(boost::beast::http::status st, const json& body, unsigned version,
                            bool keep_alive);
// {"error": {...}} with the status http_status_for() gives; Retry-After: 1 when the server is
// unavailable (queue full, disk full, shutting down).
http_response error_response(const status& s, unsigned version, bool keep_alive);
// An error whose body says more than the error (e.g. a 409 with "current").
http_response error_response(const status& s, const json& body, unsigned version, bool keep_alive);
// The error in the dialect's shape (route_table.hpp): Tribune's as above, or Google's.
http_response error_response(const status& s, dialect d, unsigned version, bool keep_alive);
// What every answer of the dialect carries: for google, Access-Control-Allow-Origin: *.
void add_dialect_headers(http_response& res, dialect d);
// As json_response, for a body already encoded (e.g. by question_writer).
http_response encoded_json_response(boost::beast::http::status st, std::string body,
                                    unsigned version, bool keep_alive);
// Any other body with its content type, without Cache-Control (e.g. Prometheus text).
http_response text_response(boost::beast::http::status st, std::string body,
                            std::string_view content_type, unsigned version, bool keep_alive);

}  // namespace tribune::server

#pragma once
// prefer_header: reads the request's Prefer header (RFC 7240). Tribune honours one
// preference, `return=minimal`, on POST .../questions: the 201 (or the 200 of a retry) then
// carries the question's id, status, version and group instead of the whole question, and the
// answer says so with `Preference-Applied: return=minimal`. A feeder that posts thousands of
// questions a second (a bridge, `tribune replay`) reads only the status, and the full
// question is about 1 KB that the server encodes and the client parses for nothing.
//
// Thread safety: pure functions.

#include <boost/beast/http.hpp>

#include <string_view>

namespace tribune::server {

// Whether the Prefer header's value asks for `return=minimal`: one of its comma-separated
// preferences is the token `return` (any case) with the value `minimal` (any case, quoted or
// not), whatever parameters follow it after ';'. `return` as a parameter of another
// preference ("handling=lenient; return=minimal") is not a preference and does not count.
bool prefers_minimal_return(std::string_view prefer);

// The same over every Prefer header of the request (RFC 7240 lets a client send several).
template <typename Request>
bool request_prefers_minimal_return(const Request& req) {
    namespace http = boost::beast::http;
    for (auto it = req.find(http::field::prefer); it != req.end() && it->name() == http::field::prefer;
         ++it)
        if (prefers_minimal_return(it->value())) return true;
    return false;
}

}  // namespace tribune::server

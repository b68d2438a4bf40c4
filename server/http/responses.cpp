#include "server/http/responses.hpp"

#include "server/http/http_errors.hpp"
#include "server/wire/perspective_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

http_response text_response(http::status st, std::string body, std::string_view content_type,
                            unsigned version, bool keep_alive) {
    http_response res{st, version};
    res.set(http::field::server, "tribune");
    res.set(http::field::content_type, content_type);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http_response json_response(http::status st, const json& body, unsigned version, bool keep_alive) {
    return encoded_json_response(st, encode(body), version, keep_alive);
}

http_response encoded_json_response(http::status st, std::string body, unsigned version,
                                    bool keep_alive) {
    http_response res = text_response(st, std::move(body), "application/json", version, keep_alive);
    res.set(http::field::cache_control, "no-store");
    return res;
}

http_response error_response(const status& s, const json& body, unsigned version, bool keep_alive) {
    http_response res = json_response(http_status_for(s), body, version, keep_alive);
    if (s.code() == "queue_full" || s.kind() == error_kind::unavailable)
        res.set(http::field::retry_after, "1");
    return res;
}

http_response error_response(const status& s, unsigned version, bool keep_alive) {
    return error_response(s, error_body(s), version, keep_alive);
}

http_response error_response(const status& s, dialect d, unsigned version, bool keep_alive) {
    if (d == dialect::tribune) return error_response(s, version, keep_alive);
    return error_response(s, google_error(s, static_cast<unsigned>(http_status_for(s))), version,
                          keep_alive);
}

void add_dialect_headers(http_response& res, dialect d) {
    // A key in a web page is the page owner's choice, as with Google's own API.
    if (d == dialect::google) res.set(http::field::access_control_allow_origin, "*");
}

}  // namespace tribune::server

#include "server/api/request_context.hpp"

#include "server/http/request_util.hpp"
#include "server/http/responses.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

http_response reply_channel::json_answer(http::status st, const json& body) const {
    return json_response(st, body, version_, keep_alive_);
}

void reply_channel::send(http::status st, const json& body) const { reply_(json_answer(st, body)); }

void reply_channel::send_encoded(http::status st, std::string body) const {
    reply_(encoded_json_response(st, std::move(body), version_, keep_alive_));
}

void reply_channel::fail(const status& s) const {
    reply_(error_response(s, speaks_, version_, keep_alive_));
}

void reply_channel::fail(const status& s, const json& body) const {
    reply_(error_response(s, body, version_, keep_alive_));
}

void reply_channel::stream(std::string_view content_type, std::string_view disposition,
                           body_pieces pieces) const {
    http_response head{http::status::ok, version_};
    head.set(http::field::content_type, content_type);
    if (!disposition.empty()) head.set(http::field::content_disposition, disposition);
    head.set(http::field::cache_control, "no-store");
    head.keep_alive(keep_alive_);
    reply_(outgoing(std::move(head), std::move(pieces)));
}

request_context::request_context(const http_request& req, const request_target& target,
                                 const route& r, const route_params& params, const principal& who,
                                 const client_info& client, std::size_t max_json_depth,
                                 responder reply, bool keep_alive,
                                 std::shared_ptr<bool> access_checked)
    : reply_channel(std::move(reply), req.version(), keep_alive, r.speaks),
      req_(req),
      target_(target),
      route_(r),
      params_(params),
      who_(who),
      client_(client),
      max_json_depth_(max_json_depth),
      access_checked_(std::move(access_checked)) {}

std::optional<std::int64_t> request_context::id_param(std::string_view name) const {
    auto v = parse_int(param(name));
    if (!v || *v <= 0) return std::nullopt;
    return v;
}

result<json> request_context::body() const {
    if (!is_json_content(req_))
        return invalid("unsupported_media_type", "send the body as application/json");
    return parse_object(req_.body(), max_json_depth_);
}

bool request_context::allowed(std::string_view event_slug, std::string_view action) {
    return check_access(event_slug, action, false);
}

bool request_context::allowed_public(std::string_view event_slug, bool event_public) {
    return check_access(event_slug, {}, event_public);
}

bool request_context::check_access(std::string_view event_slug, std::string_view action,
                                   bool event_public) {
    status st = route_.access.check(route_.pattern, who_, client_, event_slug, action, event_public);
    if (!st) {
        fail(st);
        return false;
    }
    if (access_checked_) *access_checked_ = true;
    return true;
}

}  // namespace tribune::server

#include "server/api/perspective_resource.hpp"

#include "server/http/responses.hpp"
#include "server/wire/perspective_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void perspective_resource::analyze(request_context& ctx) {
    auto in = ctx.decoded_body(decode_analyze);
    if (!in) return;
    // The text lives only in this call: analysis_service stores nothing, and nothing here
    // logs (the request log names the route, never the body).
    auto out = s_.analysis.analyze(in->request);
    if (!out) return ctx.fail(out.error());
    ctx.send(http::status::ok, encode_analyze(*out, in->client_token));
}

void perspective_resource::suggest_score(request_context& ctx) {
    auto s = ctx.decoded_body(decode_suggest);
    if (!s) return;
    s->submitted_by = ctx.who().name;
    const auto client_token = s->client_token;
    if (auto id = s_.analysis.suggest(std::move(*s)); !id) return ctx.fail(id.error());
    ctx.send(http::status::ok, encode_suggest(client_token));
}

void perspective_resource::preflight(request_context& ctx) {
    http_response res =
        text_response(http::status::no_content, {}, "text/plain", ctx.version(), ctx.keep_alive());
    res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
    res.set(http::field::access_control_allow_headers,
            "Content-Type, Authorization, X-Goog-Api-Key");
    res.set(http::field::access_control_max_age, "3600");
    ctx.reply(std::move(res));
}

}  // namespace tribune::server

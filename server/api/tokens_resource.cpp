#include "server/api/tokens_resource.hpp"

#include "server/wire/access_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void tokens_resource::create(request_context& ctx) {
    auto t = ctx.decoded_body(decode_new_token);
    if (!t) return;
    auto issued = s_.access.create_token(t->name, t->r, t->event, t->quota);
    if (!issued) return ctx.fail(issued.error());
    ctx.send(http::status::created, to_json(*issued));
}

void tokens_resource::list(request_context& ctx) {
    auto tokens = s_.access.list_tokens();
    if (!tokens) return ctx.fail(tokens.error());
    ctx.send(http::status::ok, to_json(*tokens));
}

void tokens_resource::revoke(request_context& ctx) {
    auto id = ctx.id_param("id");
    if (!id) return ctx.fail(not_found("token_not_found", "token ids are positive integers"));
    if (status st = s_.access.revoke(*id); !st) return ctx.fail(st);
    ctx.send(http::status::ok, token_revocation(*id));
}

}  // namespace tribune::server

#include "server/api/learning_resource.hpp"

#include "server/wire/learning_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void learning_resource::show(request_context& ctx) {
    auto r = s_.questions.learning(ctx.param("slug"));
    if (!r) return ctx.fail(r.error());
    ctx.send(http::status::ok, to_json(*r));
}

void learning_resource::reset(request_context& ctx) {
    auto r = s_.questions.reset_learning(ctx.param("slug"), ctx.who().name);
    if (!r) return ctx.fail(r.error());
    ctx.send(http::status::ok, to_json(*r));
}

}  // namespace tribune::server

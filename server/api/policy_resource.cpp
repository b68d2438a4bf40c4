#include "server/api/policy_resource.hpp"

#include "server/wire/policy_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

result<event_policy> policy_resource::proposed(request_context& ctx) {
    auto body = ctx.body();
    if (!body) return body.error();
    auto current = s_.questions.policy(ctx.param("slug"));
    if (!current) return current.error();
    return decode_policy(*body, *current);
}

void policy_resource::show(request_context& ctx) {
    auto p = s_.questions.policy(ctx.param("slug"));
    if (!p) return ctx.fail(p.error());
    ctx.send(http::status::ok, to_json(*p));
}

void policy_resource::replace(request_context& ctx) {
    auto p = proposed(ctx);
    if (!p) return ctx.fail(p.error());
    auto saved = s_.questions.set_policy(ctx.param("slug"), *p);
    if (!saved) return ctx.fail(saved.error());
    ctx.send(http::status::ok, to_json(*saved));
}

void policy_resource::dry_run(request_context& ctx) {
    auto p = proposed(ctx);
    if (!p) return ctx.fail(p.error());
    auto report = s_.questions.dry_run(ctx.param("slug"), *p);
    if (!report) return ctx.fail(report.error());
    ctx.send(http::status::ok, to_json(*report));
}

}  // namespace tribune::server

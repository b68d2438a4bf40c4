#include "server/api/policy_resource.hpp"

#include "server/wire/policy_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

std::optional<event_policy> policy_resource::proposed(request_context& ctx) {
    auto body = ctx.body();
    auto current = body ? s_.questions.policy(ctx.param("slug")) : body.error();
    auto p = current ? decode_policy(*body, *current) : current.error();
    if (p) return std::move(*p);
    ctx.fail(p.error());
    return std::nullopt;
}

void policy_resource::show(request_context& ctx) {
    auto p = s_.questions.policy(ctx.param("slug"));
    if (!p) return ctx.fail(p.error());
    ctx.send(http::status::ok, to_json(*p));
}

void policy_resource::replace(request_context& ctx) {
    auto p = proposed(ctx);
    if (!p) return;
    auto saved = s_.questions.set_policy(ctx.param("slug"), *p);
    if (!saved) return ctx.fail(saved.error());
    ctx.send(http::status::ok, to_json(*saved));
}

void policy_resource::dry_run(request_context& ctx) {
    auto p = proposed(ctx);
    if (!p) return;
    auto report = s_.questions.dry_run(ctx.param("slug"), *p);
    if (!report) return ctx.fail(report.error());
    ctx.send(http::status::ok, to_json(*report));
}

}  // namespace tribune::server

#include "server/api/webhooks_resource.hpp"

#include "server/wire/request_errors.hpp"
#include "server/wire/webhook_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {
constexpr std::size_t default_log_page = 100;
constexpr std::size_t max_log_page = 500;
}  // namespace

std::optional<std::int64_t> webhooks_resource::hook_id(request_context& ctx) {
    auto id = ctx.id_param("id");
    if (!id) ctx.fail(not_found("webhook_not_found", "webhook ids are positive integers"));
    return id;
}

void webhooks_resource::list(request_context& ctx) {
    std::optional<std::string> event;
    if (const std::string* e = ctx.target().param("event")) event = *e;
    auto hooks = s_.webhooks.list(event);
    if (!hooks) return ctx.fail(hooks.error());
    ctx.send(http::status::ok, to_json(*hooks));
}

void webhooks_resource::create(request_context& ctx) {
    auto in = ctx.decoded_body(decode_webhook_input);
    if (!in) return;
    in->created_by = ctx.who().name;
    auto created = s_.webhooks.create(*in);
    if (!created) return ctx.fail(created.error());
    ctx.send(http::status::created, to_json(*created, true));
}

void webhooks_resource::show(request_context& ctx) {
    auto id = hook_id(ctx);
    if (!id) return;
    auto hook = s_.webhooks.get(*id);
    if (!hook) return ctx.fail(hook.error());
    ctx.send(http::status::ok, to_json(*hook, false));
}

void webhooks_resource::change(request_context& ctx) {
    auto id = hook_id(ctx);
    if (!id) return;
    auto change = ctx.decoded_body(decode_webhook_update);
    if (!change) return;
    auto& [update, rotate_secret] = *change;
    auto updated = s_.webhooks.update(*id, update, rotate_secret);
    if (!updated) return ctx.fail(updated.error());
    ctx.send(http::status::ok, to_json(*updated, rotate_secret));
}

void webhooks_resource::remove(request_context& ctx) {
    auto id = hook_id(ctx);
    if (!id) return;
    if (status st = s_.webhooks.remove(*id); !st) return ctx.fail(st);
    ctx.send(http::status::ok, webhook_deletion(*id));
}

void webhooks_resource::deliveries(request_context& ctx) {
    auto id = hook_id(ctx);
    if (!id) return;
    auto page = decode_id_page(ctx.target().query, "before", default_log_page, max_log_page);
    if (!page) return ctx.fail(page.error());
    auto log = s_.webhooks.attempts(*id, page->cursor, page->limit);
    if (!log) return ctx.fail(log.error());
    ctx.send(http::status::ok, attempt_page(*log, page->limit));
}

}  // namespace tribune::server

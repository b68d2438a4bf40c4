#include "core/service/webhook_service.hpp"

#include <algorithm>

#include "core/domain/webhook_event.hpp"
#include "core/service/access_service.hpp"
#include "core/util/hmac_sha256.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

std::string new_secret() { return "whsec_" + access_service::random_secret(); }

}  // namespace

webhook_service::webhook_service(event_store& events, webhook_store& hooks, webhook_options options)
    : events_(events), hooks_(hooks), options_(options) {}

const std::vector<std::string>& webhook_service::event_types() {
    static const std::vector<std::string> types = [] {
        std::vector<std::string> out;
        for (const auto& [e, name] : webhook_event_names) out.emplace_back(name);
        return out;
    }();
    return types;
}

status webhook_service::check_url(const std::string& url) {
    const bool http = url.starts_with("http://");
    const bool https = url.starts_with("https://");
    const std::size_t host_at = http ? 7 : 8;
    if ((!http && !https) || url.size() > 2000 || url.size() <= host_at)
        return invalid("invalid_url", "url must be an http:// or https:// URL of at most 2000 bytes");
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7F)
            return invalid("invalid_url", "url must not contain spaces, control or non-ASCII characters");
    const std::size_t host_end = url.find_first_of("/?#", host_at);
    const std::string authority = url.substr(host_at, host_end - host_at);
    if (authority.empty() || authority.front() == ':' || authority.find('@') != std::string::npos)
        return invalid("invalid_url", "url needs a host (and no user:password@)");
    return status::ok();
}

status webhook_service::check_events(const std::vector<std::string>& events) {
    for (const std::string& e : events)
        if (!webhook_event_from_string(e))
            return invalid("invalid_field",
                           "events are question.created, question.verdict_changed, question.answered; got " + e);
    return status::ok();
}

result<webhook> webhook_service::create(const webhook_input& in) {
    if (status st = check_url(in.url); !st) return st;
    if (status st = check_events(in.events); !st) return st;
    auto ev = events_.find_event(in.event_slug);
    if (!ev) return ev.error();
    auto existing = hooks_.list_webhooks(ev->id);
    if (!existing) return existing.error();
    if (existing->size() >= options_.max_hooks_per_event)
        return invalid("too_many", "an event has at most " + std::to_string(options_.max_hooks_per_event) +
                                       " webhooks");
    new_webhook w;
    w.event_id = ev->id;
    w.url = in.url;
    w.secret = new_secret();
    w.events = in.events.empty() ? event_types() : in.events;
    w.created_by = in.created_by;
    w.created_at = wall_clock_ms();
    return hooks_.create_webhook(w);
}

result<std::vector<webhook>> webhook_service::list(const std::optional<std::string>& event_slug) {
    if (!event_slug) return hooks_.list_webhooks(std::nullopt);
    auto ev = events_.find_event(*event_slug);
    if (!ev) return ev.error();
    return hooks_.list_webhooks(ev->id);
}

result<webhook> webhook_service::update(std::int64_t id, webhook_update u, bool rotate_secret) {
    if (u.url)
        if (status st = check_url(*u.url); !st) return st;
    if (u.events) {
        if (status st = check_events(*u.events); !st) return st;
        if (u.events->empty()) u.events = event_types();
    }
    if (rotate_secret) u.secret = new_secret();
    u.at = wall_clock_ms();
    return hooks_.update_webhook(id, u);
}

result<std::vector<webhook_attempt>> webhook_service::attempts(std::int64_t hook_id,
                                                               std::int64_t before_id,
                                                               std::size_t limit) {
    if (auto h = hooks_.get_webhook(hook_id); !h) return h.error();
    return hooks_.list_attempts(hook_id, before_id, limit);
}

result<std::vector<pending_delivery>> webhook_service::due(const std::set<std::int64_t>& busy,
                                                           std::size_t limit) {
    return hooks_.due_deliveries(wall_clock_ms(), busy, limit);
}

std::chrono::milliseconds webhook_service::retry_delay(std::int64_t failures) const {
    std::chrono::milliseconds d = options_.base_backoff;
    for (std::int64_t i = 1; i < failures && d < options_.max_backoff; ++i) d *= 2;
    return std::min(d, options_.max_backoff);
}

attempt_record webhook_service::judge(const pending_delivery& d, const delivery_outcome& o) const {
    attempt_record r;
    r.outbox_id = d.outbox_id;
    r.log.hook_id = d.hook_id;
    r.log.delivery_id = d.delivery_id;
    r.log.type = d.type;
    r.log.question_id = d.question_id;
    r.log.attempt = d.attempts + 1;
    r.log.at = o.at;
    r.log.http_status = o.http_status;
    r.log.error = o.error;
    r.log.duration_ms = o.duration_ms;
    r.delivered = o.http_status && *o.http_status >= 200 && *o.http_status < 300;
    if (r.delivered) {
        r.log.outcome = "delivered";
        r.hook_failures = 0;
        r.hook_next_attempt_at = 0;
        return r;
    }
    r.hook_failures = d.hook_failures + 1;
    const auto wait = retry_delay(r.hook_failures);
    r.log.retry_in_ms = wait.count();
    r.hook_next_attempt_at = o.at + o.duration_ms + wait.count();
    r.log.outcome = "failed";
    if (r.hook_failures >= options_.disable_after) {
        r.log.outcome = "hook_disabled";
        r.log.retry_in_ms.reset();
        r.disable_reason = std::to_string(r.hook_failures) + " consecutive failed attempts";
    }
    return r;
}

status webhook_service::housekeeping() {
    auto backlog = hooks_.backlog();
    if (!backlog) return backlog.error();
    for (const auto& [hook, owed] : *backlog) {
        if (owed <= options_.max_backlog) continue;
        auto h = hooks_.get_webhook(hook);
        if (!h || h->disabled_at) continue;
        if (status st = hooks_.disable_webhook(
                hook, std::to_string(owed) + " deliveries owed, over the limit of " +
                          std::to_string(options_.max_backlog),
                wall_clock_ms());
            !st)
            return st;
    }
    return hooks_.prune_attempts(options_.keep_attempts);
}

std::string webhook_service::signature(std::string_view secret, std::string_view timestamp,
                                       std::string_view body) {
    std::string signed_text(timestamp);
    signed_text += '.';
    signed_text.append(body);
    return "v1=" + hmac_sha256_hex(secret, signed_text);
}

}  // namespace tribune

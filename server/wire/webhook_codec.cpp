#include "server/wire/webhook_codec.hpp"

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

result<std::vector<std::string>> read_events(const json& v) {
    std::vector<std::string> out;
    if (!v.is_array()) return invalid_field("events must be an array of event types");
    for (const json& e : v) {
        if (!e.is_string()) return invalid_field("events must be an array of event types");
        out.push_back(e.get<std::string>());
    }
    return out;
}

}  // namespace

json to_json(const webhook& w, bool with_secret) {
    json out = {{"id", w.id},
                {"event", w.event_slug},
                {"url", w.url},
                {"events", w.events},
                {"enabled", !w.disabled_at.has_value()},
                {"disabled_at", w.disabled_at ? json(format_time(*w.disabled_at)) : json(nullptr)},
                {"disabled_reason", w.disabled_at ? json(w.disabled_reason) : json(nullptr)},
                {"consecutive_failures", w.consecutive_failures},
                {"created_by", w.created_by},
                {"created_at", format_time(w.created_at)}};
    if (with_secret) out["secret"] = w.secret;
    return out;
}

json to_json(const std::vector<webhook>& hooks) {
    return item_list(hooks, [](const webhook& w) { return to_json(w, false); });
}

json attempt_page(const std::vector<webhook_attempt>& page, std::size_t limit) {
    json out = item_list(page, [](const webhook_attempt& a) { return to_json(a); });
    out["next_before"] = page.size() == limit && !page.empty() ? json(page.back().id) : json(nullptr);
    return out;
}

json webhook_deletion(std::int64_t id) { return {{"deleted", id}}; }

json to_json(const webhook_attempt& a) {
    return {{"id", a.id},
            {"delivery_id", a.delivery_id},
            {"type", a.type},
            {"question_id", a.question_id},
            {"attempt", a.attempt},
            {"at", format_time(a.at)},
            {"http_status", a.http_status ? json(*a.http_status) : json(nullptr)},
            {"error", a.error.empty() ? json(nullptr) : json(a.error)},
            {"duration_ms", a.duration_ms},
            {"retry_in_ms", a.retry_in_ms ? json(*a.retry_in_ms) : json(nullptr)},
            {"outcome", a.outcome}};
}

result<webhook_input> decode_webhook_input(const json& body) {
    webhook_input in;
    auto ev = body.find("event");
    auto url = body.find("url");
    if (ev == body.end() || !ev->is_string() || url == body.end() || !url->is_string())
        return invalid_field("event (a slug) and url are required strings");
    in.event_slug = ev->get<std::string>();
    in.url = url->get<std::string>();
    if (auto e = body.find("events"); e != body.end() && !e->is_null()) {
        auto events = read_events(*e);
        if (!events) return events.error();
        in.events = std::move(*events);
    }
    for (const auto& [key, value] : body.items())
        if (key != "event" && key != "url" && key != "events")
            return invalid_field("unknown member " + key + "; a webhook has event, url and events");
    return in;
}

result<std::pair<webhook_update, bool>> decode_webhook_update(const json& body) {
    webhook_update u;
    bool rotate = false;
    for (const auto& [key, value] : body.items()) {
        if (key == "url") {
            if (!value.is_string()) return invalid_field("url must be a string");
            u.url = value.get<std::string>();
        } else if (key == "events") {
            auto events = read_events(value);
            if (!events) return events.error();
            u.events = std::move(*events);
        } else if (key == "enabled") {
            if (!value.is_boolean()) return invalid_field("enabled must be true or false");
            u.enabled = value.get<bool>();
        } else if (key == "rotate_secret") {
            if (!value.is_boolean()) return invalid_field("rotate_secret must be true or false");
            rotate = value.get<bool>();
        } else {
            return invalid_field("unknown member " + key + "; change url, events, enabled or rotate_secret");
        }
    }
    return std::make_pair(std::move(u), rotate);
}

std::string delivery_body(const pending_delivery& d, const question& q) {
    const decision_record& c = d.cause;
    json change = {{"from", c.from ? json(to_string(*c.from)) : json(nullptr)},
                   {"to", to_string(c.to)},
                   {"action", c.action},
                   {"actor", c.actor},
                   {"reason", c.reason}};
    json body = {{"delivery_id", d.delivery_id},
                 {"type", d.type},
                 {"event", d.event_slug},
                 {"occurred_at", format_time(c.at)},
                 {"change", std::move(change)},
                 {"question", to_json(q)}};
    return body.dump();
}

}  // namespace tribune::server

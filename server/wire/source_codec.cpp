#include "server/wire/source_codec.hpp"

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

json time_or_null(timestamp_ms t) { return t > 0 ? json(format_time(t)) : json(nullptr); }

}  // namespace

json to_json(const source_health_snapshot& h) {
    return {{"state", h.state},
            {"transport", h.transport.empty() ? json(nullptr) : json(h.transport)},
            {"connected_since", time_or_null(h.connected_since)},
            {"last_post_at", time_or_null(h.last_post_at)},
            {"posts", h.posts},
            {"posts_per_minute", h.posts_last_minute},
            {"skipped", h.skipped},
            {"errors", h.errors},
            {"consecutive_failures", h.consecutive_failures},
            {"last_error", h.last_error.empty() ? json(nullptr) : json(h.last_error)},
            {"last_error_at", time_or_null(h.last_error_at)},
            {"next_attempt_at", time_or_null(h.next_attempt_at)}};
}

json to_json(const bridge_source& s, const std::optional<source_health_snapshot>& health) {
    source_health_snapshot idle;
    idle.source_id = s.id;
    json out = {{"id", s.id},
                {"event", s.event_slug},
                {"kind", to_string(s.kind)},
                {"tag", s.tag},
                {"paused", s.paused},
                {"cursor", s.cursor.empty() ? json(nullptr) : json(s.cursor)},
                {"created_by", s.created_by},
                {"created_at", format_time(s.created_at)},
                {"status", to_json(health.value_or(idle))}};
    if (s.kind == source_kind::mastodon) {
        out["instance"] = s.endpoint;
        out["has_access_token"] = !s.access_token.empty();
    } else {
        out["jetstream"] = s.endpoint;
    }
    return out;
}

json source_deletion(std::int64_t id) { return {{"deleted", id}}; }

result<source_input> decode_source_input(const json& body, const std::string& event_slug) {
    source_input in;
    in.event_slug = event_slug;
    auto kind = body.find("kind");
    if (kind == body.end() || !kind->is_string())
        return invalid_field("kind is required: mastodon or bluesky");
    auto k = source_kind_from_string(kind->get<std::string>());
    if (!k) return invalid_field("kind must be mastodon or bluesky");
    in.kind = *k;
    const char* endpoint_name = in.kind == source_kind::mastodon ? "instance" : "jetstream";
    for (const auto& [key, value] : body.items()) {
        if (key == "kind") continue;
        if (key != "tag" && key != endpoint_name &&
            !(key == "access_token" && in.kind == source_kind::mastodon))
            return invalid_field("unknown member " + key + "; a " + to_string(in.kind) + " source has " +
                                 (in.kind == source_kind::mastodon ? "kind, instance, tag and access_token"
                                                                   : "kind, tag and jetstream"));
        if (value.is_null()) continue;
        if (!value.is_string()) return invalid_field(key + " must be a string");
        if (key == "tag") in.tag = value.get<std::string>();
        else if (key == "access_token") in.access_token = value.get<std::string>();
        else in.endpoint = value.get<std::string>();
    }
    if (in.tag.empty()) return invalid_field("tag is required");
    if (in.kind == source_kind::mastodon && in.endpoint.empty())
        return invalid_field("instance is required for a mastodon source, e.g. https://mastodon.social");
    return in;
}

}  // namespace tribune::server

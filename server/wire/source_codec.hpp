#pragma once
// source_codec: the JSON of an event's social-network sources (docs/api.md "Sources").
//
// Thread safety: pure functions.

#include <optional>
#include <string>
#include <vector>

#include "core/bridge/source_health.hpp"
#include "core/service/source_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// {"id", "event", "kind", "instance" (Mastodon) | "jetstream" (Bluesky), "tag",
//  "has_access_token", "paused", "cursor", "created_by", "created_at", "status": {...}}.
// The access token itself is never shown.
json to_json(const bridge_source& s, const std::optional<source_health_snapshot>& health);
json to_json(const source_health_snapshot& h);
// {"deleted": id}
json source_deletion(std::int64_t id);

// {"kind": "mastodon", "instance": "https://...", "tag": "...", "access_token": "..."} or
// {"kind": "bluesky", "tag": "...", "jetstream": "wss://..." (optional)}; the event is the
// path's. Errors: invalid_field (unknown or mistyped member, unknown kind).
result<source_input> decode_source_input(const json& body, const std::string& event_slug);

}  // namespace tribune::server

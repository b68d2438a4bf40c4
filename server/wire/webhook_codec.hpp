#pragma once
// webhook_codec: the JSON of webhooks — the admin API's hooks and delivery log, and the body
// each delivery POSTs (docs/api.md "Webhooks").
//
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/service/webhook_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// The secret is included only when `with_secret` (at creation and rotation).
json to_json(const webhook& w, bool with_secret);
// {"items": [hook...]}, secrets left out.
json to_json(const std::vector<webhook>& hooks);
json to_json(const webhook_attempt& a);
// A page of the delivery log, newest first: {"items": [...], "next_before": the last id when
// the page is full, else null}.
json attempt_page(const std::vector<webhook_attempt>& page, std::size_t limit);
// {"deleted": id}
json webhook_deletion(std::int64_t id);

// {"event": "demo", "url": "https://...", "events": ["question.created", ...]}.
// Errors: invalid_field.
result<webhook_input> decode_webhook_input(const json& body);
// {"url", "events", "enabled", "rotate_secret"}, any of them. Errors: invalid_field.
result<std::pair<webhook_update, bool>> decode_webhook_update(const json& body);

// The body of one delivery:
// {"delivery_id", "type", "event", "occurred_at", "change": {"from", "to", "actor", "action",
//  "reason"}, "question": {...as the API shows it, when delivered}}.
std::string delivery_body(const pending_delivery& d, const question& q);

}  // namespace tribune::server

#pragma once
// decision_codec: the wire format of moderators' decisions — one question's decision, a
// bulk decision (by ids or by near-duplicate group) and its per-item answer (docs/api.md
// "Questions").
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>

#include "core/service/question_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// Errors: unknown_action when action is missing or not a string; invalid_field.
result<decision_input> decode_decision(const json& body, std::int64_t question_id);
// Errors: unknown_action, invalid_field, invalid_status (a group's "from").
result<bulk_decision_input> decode_bulk_decision(const json& body, std::string event_slug);

// {"items": [{"id", "question"} | {"id", "error"}]}, with "more" when `by_group`.
json to_json(const bulk_outcome& out, bool by_group);

}  // namespace tribune::server

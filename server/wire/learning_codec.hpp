#pragma once
// learning_codec: the wire format of an event's learning from its moderators' decisions
// (docs/api.md "Learning from the moderators"): GET .../learning and POST .../learning/reset.
//
// Thread safety: pure functions.

#include "core/service/event_learning_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

json to_json(const learning_report& r);
// A question's "event_correction" member: null, or {"delta", "moved_from"}.
json correction_json(const std::optional<correction_note>& c);

}  // namespace tribune::server

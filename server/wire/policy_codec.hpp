#pragma once
// policy_codec: the wire format of an event's triage policy and of a dry run (docs/api.md
// "Triage (automatic verdict) and the event policy").
//
// Thread safety: pure functions.

#include "core/service/question_service.hpp"
#include "core/store/store.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

json to_json(const event_policy& p);
// Reads a policy document onto `base`: members present replace base's, absent keep them
// (a partial update). Errors: invalid_field naming the member.
result<event_policy> decode_policy(const json& body, event_policy base);
json to_json(const dry_run_report& r);

}  // namespace tribune::server

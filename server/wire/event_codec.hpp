#pragma once
// event_codec: the wire format of events and their shortlists (docs/api.md "Events", "The
// executives' shortlist").
//
// Thread safety: pure functions.

#include <cstdint>
#include <vector>

#include "core/store/store.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// Errors: invalid_slug, invalid_field.
result<new_event> decode_new_event(const json& body);
json to_json(const event_info& e);
json to_json(const event_info& e, const status_counts& counts);
// {"items": [event...]}
json to_json(const std::vector<event_info>& events);

json to_json(const shortlist_entry& e);
// {"items": [entry...]}
json to_json(const std::vector<shortlist_entry>& entries);
// The question a shortlist addition names. Errors: invalid_field.
result<std::int64_t> decode_shortlist_addition(const json& body);
// {"removed": id}
json shortlist_removal(std::int64_t question_id);

}  // namespace tribune::server

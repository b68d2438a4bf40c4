#pragma once
// event_codec: the wire format of events and their settings (docs/api.md "Events", "Event
// settings").
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

// {"anonymous": bool, "executives_see_scores": bool, "display_public": bool}
json to_json(const event_settings& s);
// A settings change onto `s`: the members given replace the current ones. Errors:
// invalid_field (an unknown setting, or one that is not true or false).
status decode_settings_change(const json& body, event_settings& s);

}  // namespace tribune::server

#pragma once
// shortlist_codec: the wire format of the executives' shortlist and of the room's display
// (docs/api.md "The executives' shortlist", "The room's display"): entries, the bodies that
// change them, a shortlist change as the live stream carries it, and the display's document.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/event_settings.hpp"
#include "core/domain/shortlist.hpp"
#include "core/service/event_sink.hpp"
#include "core/service/shortlist_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// {"question": {...}, "added_by", "added_at", "position", "note", "note_by", "note_at",
//  "answering_now", "answering_since"}; the question with the members `f` allows.
json to_json(const shortlist_entry& e, question_fields f);
// {"items": [entry...]}
json to_json(const std::vector<shortlist_entry>& entries, question_fields f);

// The question a shortlist addition names: {"question_id": 42}. Errors: invalid_field.
result<std::int64_t> decode_shortlist_addition(const json& body);
// {"removed": id}
json shortlist_removal(std::int64_t question_id);
// {"note": "..." | null, "answering_now": bool, "answered": true}, every member optional (a
// null note clears it). Errors: invalid_field.
result<shortlist_edit_input> decode_shortlist_edit(const json& body);
// {"order": [id, ...]}. Errors: invalid_field.
result<std::vector<std::int64_t>> decode_shortlist_order(const json& body);

// {"type":"shortlist","action":...,"question_id":id|null,"actor":...,"items":[entry...]}: a
// change without its number, as the live stream carries it (stream_codec numbers it).
std::string encode_shortlist_change(const shortlist_change& c, question_fields f);

// The room's display: {"event", "title", "anonymous", "now": item|null, "next": [item...]},
// each item {"id", "text", "author" (null when the event is anonymous), "asked", "votes",
// "status", "since" (now only)}.
json display_json(const event_info& ev, const event_settings& s, const display_state& d);
// {"type":"display","seq":N, ...display_json()}: the display's live stream.
std::string display_message(std::uint64_t seq, const event_info& ev, const event_settings& s,
                            const display_state& d);
// {"type":"pong"}: the display stream's answer to a client message, so that a client can tell
// a silent connection (a network drop nobody closed) from a quiet display.
const std::string& display_pong_message();

}  // namespace tribune::server

#pragma once
// stream_codec: the wire format of the live stream (docs/api.md "Live stream"): one change
// as both protocols number it; the per-change protocol's snapshot; the view protocol's
// subscribe message, and its snapshot, frame, activity and error messages. Questions
// themselves are encoded by json_codec; this file only frames them.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "core/service/event_sink.hpp"
#include "core/store/store.hpp"
#include "server/live/change_batch.hpp"
#include "server/live/change_record.hpp"
#include "server/live/stream_lens.hpp"
#include "server/live/stream_view.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// --- One change (both protocols) ------------------------------------------------------------
// {"type":"question","change":...,"from":...,"actor":...,"question":{...}}: a change without
// its number. Encoded once per change, outside the hub's lock.
std::string encode_change(const question_change& c);
// {"seq":N,...the members of `change`...}: `change` as encode_change() made it, numbered.
std::string numbered_change(std::uint64_t seq, const std::string& change);

// --- Per-change protocol --------------------------------------------------------------------
// {"type":"snapshot","event","epoch","seq","counts","items"}: the review queue as of `seq`.
std::string review_snapshot_message(const std::string& event, const std::string& epoch,
                                    std::uint64_t seq, const status_counts& counts,
                                    const std::vector<question>& items);

// --- View protocol --------------------------------------------------------------------------

// A client's {"type":"subscribe", ...} message.
struct subscribe_request {
    stream_view view;
    std::int64_t id = 0;  // the client's name for this subscription, echoed as "subscription"
    // Resume point: the last seq the client applied and the epoch it saw (both or neither).
    std::optional<std::uint64_t> since;
    std::string epoch;
    // The socket asks for activity messages (moderators online, arrivals per minute).
    bool activity = false;
    // The subscription asks for the executives' shortlist: in its snapshot, and each change
    // of it in the frames.
    bool shortlist = false;
    // The subscription asks for page frames: only what changes the view's first `limit`
    // questions (view_spec::pages() says when the server honours it).
    bool page = false;
    // The client acknowledges each snapshot and frame ({"type":"ack","seq":N}) once it has
    // applied it, and gets no frame while one is unacknowledged.
    bool ack = false;
};

// A client's message the view protocol acts on: a subscribe, or an ack of the snapshot or
// frame that brought the client to `ack`.
struct client_message {
    std::optional<subscribe_request> subscribe;
    std::optional<std::uint64_t> ack;
};

// Errors (invalid_argument): invalid_json when `msg` is not an object of type "subscribe";
// invalid_status, invalid_field, invalid_limit, invalid_since naming the bad member.
result<subscribe_request> decode_subscribe(const json& msg);
// A client's text message: a subscribe request or an ack; neither for a message the protocol
// ignores (not JSON, not an object, another type such as a ping, an ack without a
// non-negative integer seq). Errors: as decode_subscribe.
result<client_message> read_client_message(const std::string& text);

// The view as the snapshot echoes it back (the same members a subscribe message carries).
json to_json(const stream_view& v);
json to_json(const state_counts& c);
state_counts counts_from(const status_counts& c);

// One entry of a frame's "changes": the record's message with "op" first — "upsert" when the
// question is in the view after the change, "remove" when it is not, "shortlist" for a change
// of the shortlist — as `lens` may see it: a public-only lens gets a removal as the question's
// id and version only; the question's members are those lens.fields allows.
std::string change_entry(const change_record& r, bool in_view, const stream_lens& lens);

// {"type":"frame","subscription":id,"prev":prev,"seq":seq,"counts":{...},"changes":[entries]
//  <tail>}; `tail` is empty or starts with a comma (page_tail).
std::string frame_message(std::int64_t subscription, std::uint64_t prev, std::uint64_t seq,
                          const state_counts& counts, const std::vector<frame_entry>& entries,
                          std::string_view tail = {});

// A page frame's entry for a question that is on the page without a change in this frame
// (it moved up, or the client needs the whole page): {"op":"upsert","seq":seq,
// "type":"question","change":"page","from":null,"actor":null,"question":{...}}, `seq` being
// where the server last saw the question change (or read it).
std::string page_entry(const question& q, std::uint64_t seq, const stream_lens& lens);
// A page frame's members after "changes": ,"page":[ids in order],"next_cursor":"..."|null.
std::string page_tail(const std::vector<std::int64_t>& ids,
                      const std::optional<std::string>& next_cursor);

// What a view's snapshot shows besides its position and counts.
struct snapshot_content {
    std::int64_t subscription = 0;
    const stream_view* view = nullptr;
    const std::vector<question>* items = nullptr;
    std::optional<std::string> next_cursor;
    // The shortlist, when the subscription asked for it.
    const std::vector<shortlist_entry>* shortlist = nullptr;
    question_fields fields;  // the members of each question
};

// {"type":"snapshot","event","epoch","seq","counts","subscription","view","items",
//  "next_cursor"[,"shortlist":{"items":[entry...]}]}: the first page of a view as of `seq`.
std::string snapshot_message(const std::string& event, const std::string& epoch, std::uint64_t seq,
                             const state_counts& counts, const snapshot_content& c);

// One entry of an activity message's "moderators": a token name with its open streams.
struct online_moderator {
    std::string name;
    role r = role::moderator;  // admin or moderator
    std::uint64_t connections = 0;
};

// {"type":"activity","event":...,"moderators":[{"name","role","connections"}...],
//  "arrivals_per_minute":N}; `moderators` in the order given (the hub sorts them by name).
std::string activity_message(const std::string& event,
                             const std::vector<online_moderator>& moderators,
                             std::uint64_t arrivals_per_minute);

// {"type":"error","error":{"code","message"}}: a subscribe the server could not accept.
std::string error_message(const status& s);

}  // namespace tribune::server

#pragma once
// social_codec: what the social bridges read (issue 16) — Mastodon's statuses (a tag
// timeline page, a streaming message over WebSocket or server-sent events) and Jetstream's
// events — turned into posts ready to ingest. Formats from the networks' public
// documentation: docs.joinmastodon.org (entities/Status, methods/streaming,
// methods/timelines) and github.com/bluesky-social/jetstream (README).
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/status.hpp"
#include "core/domain/question.hpp"

namespace tribune::server {

struct social_post {
    std::optional<std::int64_t> position;  // the cursor: a Mastodon id or a Jetstream time_us
    std::string external_id;  // Mastodon: the status id; Bluesky: at://DID/app.bsky.feed.post/RKEY
    std::string author;       // Mastodon: the account's acct; Bluesky: the handle, else the DID
    std::string text;         // plain text
    std::string url;          // the original on the web
    timestamp_ms posted_at = 0;  // the post's own time (0: unknown)
};

// A Status entity (JSON text or parsed). Errors: invalid_field (no id, content or
// account.acct; not JSON).
result<social_post> decode_mastodon_status(std::string_view json_text);
// A page of GET /api/v1/timelines/tag/{tag}: an array of statuses, newest first. A status that
// cannot be read is left out and counted in `skipped`. Errors: invalid_field (not an array).
result<std::vector<social_post>> decode_mastodon_timeline(std::string_view body, std::size_t& skipped);
// A WebSocket message of the streaming API: {"stream": [...], "event": "update", "payload":
// "<a Status as a JSON string>"}. The post for an "update"; nullopt for any other event
// (delete, status.update ...). Errors: invalid_field.
result<std::optional<social_post>> decode_mastodon_stream_message(std::string_view message);

// One Jetstream event: its time_us; the post when it is the creation of an app.bsky.feed.post
// whose hashtag facets or text carry `tag` (its author the DID: the bridge puts the handle in
// when it knows it); the DID and handle of an `identity` event (handle "" when it has none).
struct jetstream_identity {
    std::string did;
    std::string handle;
};
struct jetstream_event {
    std::int64_t time_us = 0;
    std::optional<social_post> post;
    std::optional<jetstream_identity> identity;
};
// Errors: invalid_field (not JSON, no time_us, a commit without did/rkey/record).
result<jetstream_event> decode_jetstream_event(std::string_view message, std::string_view tag);

// "2019-12-08T03:48:33.901Z" (or with an offset, or without fraction) -> ms since the epoch;
// nullopt when not such a time.
std::optional<timestamp_ms> parse_iso_time(std::string_view s);

// One server-sent event.
struct sse_event {
    std::string event;  // "message" when the event named none
    std::string data;   // the data lines joined by '\n'
};

// Splits a server-sent events stream (text/event-stream) into events as bytes arrive.
// Comment lines (":thump") are dropped. Lines over max_line bytes throw nothing: the parser
// fails (failed() turns true) and the caller drops the connection.
class sse_parser {
public:
    static constexpr std::size_t max_line = 1 << 20;
    // Appends `bytes`; returns the events they completed.
    std::vector<sse_event> feed(std::string_view bytes);
    bool failed() const { return failed_; }

private:
    std::string line_;
    sse_event current_;
    bool has_data_ = false;
    bool failed_ = false;
};

}  // namespace tribune::server

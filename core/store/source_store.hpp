#pragma once
// source_store: the social-network sources of each event (issue 16) — a Mastodon hashtag on
// an instance or a Bluesky hashtag through a Jetstream endpoint — and each source's resume
// cursor. One of the narrow store interfaces (store.hpp), kept apart from the `store`
// aggregate: only the bridges and their admin API read it, so another backend implements it
// on its own.
//
// Thread safety: every method may be called from any thread concurrently.
// Errors: not_found (code "source_not_found") for an unknown source; unavailable when the
// database cannot be written.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/status.hpp"
#include "core/domain/question.hpp"

namespace tribune {

enum class source_kind { mastodon, bluesky };

struct bridge_source {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::string event_slug;
    source_kind kind = source_kind::mastodon;
    // Mastodon: the instance's base URL (https://mastodon.social); Bluesky: the Jetstream
    // subscribe URL (wss://jetstream2.us-east.bsky.network/subscribe).
    std::string endpoint;
    std::string tag;           // without '#', as given
    std::string access_token;  // Mastodon only; "" for none. Never logged, never shown.
    bool paused = false;
    // Where the source resumes: Mastodon the highest status id ingested (since_id), Bluesky
    // the time_us of the newest post ingested. "" before the first post.
    std::string cursor;
    std::string created_by;
    timestamp_ms created_at = 0;
};

struct new_bridge_source {
    std::int64_t event_id = 0;
    source_kind kind = source_kind::mastodon;
    std::string endpoint;
    std::string tag;
    std::string access_token;
    std::string created_by;
    timestamp_ms created_at = 0;
};

class source_store {
public:
    virtual ~source_store() = default;

    virtual result<bridge_source> create_source(const new_bridge_source& s) = 0;
    // Every source, or the event's, by id.
    virtual result<std::vector<bridge_source>> list_sources(std::optional<std::int64_t> event_id) = 0;
    virtual result<bridge_source> get_source(std::int64_t id) = 0;
    virtual result<bridge_source> set_source_paused(std::int64_t id, bool paused) = 0;
    virtual status delete_source(std::int64_t id) = 0;
    // Stores the resume cursor; a deleted source is not an error (the bridge may finish late).
    virtual status save_source_cursor(std::int64_t id, const std::string& cursor) = 0;
};

const char* to_string(source_kind k);
std::optional<source_kind> source_kind_from_string(std::string_view s);

}  // namespace tribune

#pragma once
// source_service: the admin's use cases for an event's social-network sources (issue 16,
// docs/api.md "Sources"): add a Mastodon or Bluesky hashtag, list, pause, resume, delete; and
// the bridges' side: which sources should run, and where each resumes (its cursor).
//
// Rules: a Mastodon source names its instance as an https:// (or http://, for tests and
// private networks) base URL without a path; a Bluesky source names a Jetstream subscribe URL
// (wss:// or ws://), default bluesky_default_jetstream. A tag is 1..100 letters, digits or
// '_' (a leading '#' is dropped; matched without regard to case). At most
// max_sources_per_event sources per event.
//
// Ownership: borrows the stores. Thread safety: every method is safe from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/status.hpp"
#include "core/store/event_store.hpp"
#include "core/store/source_store.hpp"

namespace tribune {

inline constexpr const char* bluesky_default_jetstream =
    "wss://jetstream2.us-east.bsky.network/subscribe";

struct source_input {
    std::string event_slug;
    source_kind kind = source_kind::mastodon;
    std::string endpoint;  // "" for a Bluesky source: the default Jetstream
    std::string tag;
    std::string access_token;
    std::string created_by;
};

class source_service {
public:
    static constexpr std::size_t max_sources_per_event = 20;

    source_service(event_store& events, source_store& sources);

    // Errors: invalid_argument (invalid_url, invalid_tag, too_many), not_found (event_not_found).
    result<bridge_source> create(const source_input& in);
    // Every source, or the event's. Errors: not_found (event_not_found).
    result<std::vector<bridge_source>> list(const std::optional<std::string>& event_slug);
    result<bridge_source> get(std::int64_t id) { return sources_.get_source(id); }
    result<bridge_source> set_paused(std::int64_t id, bool paused) {
        return sources_.set_source_paused(id, paused);
    }
    status remove(std::int64_t id) { return sources_.delete_source(id); }
    status save_cursor(std::int64_t id, const std::string& cursor) {
        return sources_.save_source_cursor(id, cursor);
    }

    // The tag as stored: without a leading '#'. Errors: invalid_argument (invalid_tag).
    static result<std::string> normalize_tag(const std::string& tag);
    // `url` uses one of `schemes` ("https", "http" ...) and has a host; with `path_allowed`
    // false nothing follows the host but an optional '/'. Errors: invalid_argument (invalid_url).
    static status check_endpoint(const std::string& url, const std::vector<std::string>& schemes,
                                 bool path_allowed);

private:
    event_store& events_;
    source_store& sources_;
};

}  // namespace tribune

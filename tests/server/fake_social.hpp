#pragma once
// fake_social: a local server written for the bridge tests (issue 16) that speaks, over
// HTTPS/WSS with a test certificate (or plain HTTP/WS), what Tribune's bridges read, from the
// networks' public documentation:
//   Mastodon  GET /api/v1/timelines/tag/{tag}?limit&since_id&max_id  (statuses, newest first)
//             WebSocket /api/v1/streaming?stream=hashtag&tag=...     ({"event":"update","payload":...})
//             GET /api/v1/streaming/hashtag?tag=... server-sent events (event: update / data: status)
//   Jetstream WebSocket /subscribe?wantedCollections=...&cursor=T   (commit events with time_us;
//             events with time_us >= cursor replayed first)
// The test adds statuses and events, pushes them to the open streams, drops the streams,
// turns the Mastodon WebSocket off (the bridge must fall back to server-sent events), and
// reads what was requested. One thread accepts; each connection has its own thread; a stream
// connection only writes (what the test pushes) until dropped.
//
// Thread safety: every public method may be called from the test thread while it serves.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/webhook_receiver.hpp"

namespace tribune::test {

class fake_social {
public:
    // Plain, or TLS with `tls`. Fails the test and returns nullptr on error.
    static std::unique_ptr<fake_social> start(std::optional<certificate_files> tls = std::nullopt);
    ~fake_social();
    fake_social(const fake_social&) = delete;
    fake_social& operator=(const fake_social&) = delete;

    std::uint16_t port() const { return port_; }
    // https://127.0.0.1:PORT (or http://)
    std::string base_url() const;
    // wss://127.0.0.1:PORT/subscribe (or ws://)
    std::string jetstream_url() const;

    // --- Mastodon ----------------------------------------------------------------------
    // A Status entity's JSON (docs.joinmastodon.org/entities/Status), created at
    // 2024-05-01T10:00:00.000Z, its url https://social.example/@ACCT/ID.
    static std::string status_json(std::int64_t id, const std::string& acct, const std::string& html);
    // In the tag timeline only (posted while no stream was open, or missed by it).
    void add_status(std::int64_t id, const std::string& acct, const std::string& html);
    // In the timeline and pushed to every open Mastodon stream (WebSocket or SSE).
    void publish_status(std::int64_t id, const std::string& acct, const std::string& html);
    // A raw WebSocket message to every open Mastodon WebSocket stream.
    void push_raw(const std::string& message);
    // false: the streaming WebSocket answers 404 (server-sent events still work).
    void set_websocket(bool on);

    // --- Jetstream ---------------------------------------------------------------------
    // A commit event creating app.bsky.feed.post `rkey` by `did` with `text`, tagged with
    // `facet_tags` as hashtag facets, its record's createdAt 2024-05-01T11:00:00.000Z.
    static std::string jetstream_post(std::int64_t time_us, const std::string& did, const std::string& rkey,
                                      const std::string& text, const std::vector<std::string>& facet_tags);
    // An identity event: `did` now has `handle`.
    static std::string jetstream_identity(std::int64_t time_us, const std::string& did, const std::string& handle);
    // Kept (replayed to later subscribers from their cursor) and pushed to the open ones.
    // `time_us` must be the event's own.
    void publish_event(std::int64_t time_us, const std::string& json);
    // Pushed only, not kept (a malformed message).
    void push_jetstream_raw(const std::string& message);

    // --- both ----------------------------------------------------------------------------
    // Closes every open stream connection.
    void drop_streams();
    // Messages pushed to open streams and not yet written to them (the bridge reads slower).
    std::size_t backlog();
    // Open stream connections: Mastodon (WebSocket + SSE) and Jetstream.
    std::size_t mastodon_streams();
    std::size_t jetstream_streams();
    // Every request target received, in order, and the Authorization headers seen.
    std::vector<std::string> targets();
    std::vector<std::string> authorizations();
    // Waits until `pred` holds (checked whenever something changes); false after 20 s.
    bool wait_until(const std::function<bool()>& pred);

private:
    struct client;
    struct impl;
    fake_social() = default;
    void serve();
    void handle(std::shared_ptr<client> c);
    template <typename Stream>
    void converse(Stream& stream, const std::shared_ptr<client>& c);
    std::string timeline_page(const std::string& target);
    // The next message the test pushed to a stream connection; nullopt once it is dropped or
    // its peer has gone.
    std::optional<std::string> next_message(client& c);
    void push(bool jetstream, bool websocket_only, const std::string& message);

    std::unique_ptr<impl> impl_;
    std::uint16_t port_ = 0;
    std::thread thread_;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::pair<std::int64_t, std::string>> statuses_;  // GUARDED_BY(mutex_), ascending id
    std::vector<std::pair<std::int64_t, std::string>> events_;    // GUARDED_BY(mutex_), ascending time
    std::vector<std::shared_ptr<client>> clients_;                // GUARDED_BY(mutex_)
    std::vector<std::thread> threads_;                            // GUARDED_BY(mutex_)
    std::vector<std::string> targets_;                            // GUARDED_BY(mutex_)
    std::vector<std::string> authorizations_;                     // GUARDED_BY(mutex_)
    bool websocket_ = true;                                       // GUARDED_BY(mutex_)
    bool stopping_ = false;                                       // GUARDED_BY(mutex_)
};

}  // namespace tribune::test

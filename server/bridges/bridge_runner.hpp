#pragma once
// bridge_runner: one source's bridge (issue 16) — the loop every network shares: run a
// session (connect, catch up, read the stream) until it fails, then wait and run the next;
// and the way a post goes in. Subclasses write one session: mastodon_bridge, jetstream_bridge.
//
// - Reconnects after retry_delay(n) for the n-th failure in a row: bridge_retry_base doubling
//   up to bridge_retry_max, each wait drawn between half and all of it (jitter). A session
//   that got connected resets n.
// - A post goes through the same ingest path as the REST API (bridge_context::submit): the
//   same validation, classifier, triage and idempotency on (source, external_id), so a replay
//   after a reconnect or a backfill overlap stores nothing twice.
// - Bounded: at most bridge_max_in_flight posts of the source wait in the pipeline; beyond
//   that, and while the ingest queue is full, the session stops reading (the network's own
//   flow control holds the rest), so a slow store never makes memory grow.
// - The cursor (cursor_tracker) only passes posts that are committed; cursor_to_save() gives
//   it to the manager, which stores it.
// - Logs name the source by id, network, host and tag; never its access token.
//
// Thread safety: start() and stop() from any thread (they post to the bridges' io thread);
// sessions run on that thread; completions of posts arrive on the ingest's completer thread
// and touch only the tracker (under mutex_), in_flight_ (atomic) and the health (thread-safe).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/bridge/cursor_tracker.hpp"
#include "core/bridge/source_health.hpp"
#include "core/service/ingest_pipeline.hpp"
#include "core/store/source_store.hpp"
#include "server/app/config.hpp"
#include "server/bridges/bridge_connection.hpp"
#include "server/wire/social_codec.hpp"

namespace tribune::server {

// What a runner uses. `submit` is question_service::submit when serving, a printer for
// `tribune bridge test`.
struct bridge_context {
    boost::asio::io_context& ioc;
    boost::asio::ssl::context& tls;
    std::function<status(submission, ingest_pipeline::submit_callback)> submit;
    source_health& health;
    const config& cfg;
};

class bridge_runner : public std::enable_shared_from_this<bridge_runner> {
public:
    bridge_runner(bridge_context& ctx, bridge_source source);
    virtual ~bridge_runner() = default;
    bridge_runner(const bridge_runner&) = delete;
    bridge_runner& operator=(const bridge_runner&) = delete;

    // Makes the runner for the source's network.
    static std::shared_ptr<bridge_runner> make(bridge_context& ctx, bridge_source source);

    void start();
    // Ends the session in progress and the loop. Posts in flight still complete. Idempotent.
    void stop();
    const bridge_source& source() const { return source_; }
    // The committed cursor when it moved since the last call; nullopt otherwise.
    std::optional<std::string> cursor_to_save();
    // The question's `source`: "mastodon:HOST" or "bluesky".
    const std::string& source_name() const { return source_name_; }

protected:
    // One session: connect, catch up, read until the stream fails (throw
    // boost::system::system_error, or std::runtime_error with a message for the health).
    virtual boost::asio::awaitable<void> session() = 0;

    // The session is connected over `transport` (websocket, sse, jetstream).
    void connected(const std::string& transport);
    // Submits the post, waiting for room first (see above). A post the ingest refuses
    // (empty, too long ...) is logged and skipped.
    boost::asio::awaitable<void> ingest(social_post post);
    // A position passed without a post to ingest (Jetstream: another post): the cursor may
    // move past it once the posts before it are committed.
    void pass(std::int64_t position);
    // A malformed message: logged and counted, the session goes on.
    void skip(const std::string& why);
    // Where to resume: the committed cursor, else the stored one.
    std::optional<std::int64_t> resume_position();
    // A connection to `url`, closed by stop(); `slot` 0 for the stream, 1 for requests.
    bridge_connection& open(const parsed_url& url, int slot);
    boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
    void log(const std::string& what) const;
    // Throws when stop() was called.
    void check_running() const;

    bridge_context& ctx_;
    const bridge_source source_;
    std::string source_name_;

private:
    boost::asio::awaitable<void> loop();
    std::chrono::milliseconds retry_delay(int failures);
    void done(std::optional<std::int64_t> position, const result<submit_outcome>& r);

    boost::asio::steady_timer timer_;
    std::unique_ptr<bridge_connection> conns_[2];
    bool stopping_ = false;  // io thread only
    bool connected_once_ = false;

    std::atomic<std::size_t> in_flight_{0};
    std::mutex mutex_;
    cursor_tracker tracker_;            // GUARDED_BY(mutex_)
    std::optional<std::int64_t> saved_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

#pragma once
// websocket_session: one client's live stream of an event (docs/api.md "Live stream").
//
// Two protocols on the same endpoint:
//  - per change (default): a snapshot of the review queue, then one message per change.
//  - view (`?mode=view`): the client subscribes to a view (states, filters, sort) and gets
//    its first page, then frames: every change that concerns the view, coalesced at most
//    once per frame_interval, each frame with the event's exact counts per state.
//
// Lifetime: lives as long as an async operation holds shared_from_this().
// Thread safety: all state is touched only on the session's strand. The public deliver
// and close functions may be called from any thread; they post onto the strand.
// Back-pressure: at most one write is in flight. Per change, the send queue is capped and a
// client beyond it is disconnected (it resumes with ?since= on reconnect). In view mode at
// most one frame is in flight and changes wait in the subscription; when more than the cap
// wait behind an unfinished write, they are dropped and the client gets a fresh snapshot
// once its socket drains; a
// socket that has not drained for stall_timeout is cut. Either way, a slow client never
// slows ingest or other clients.
// Activity (view mode, when a subscribe asked for it): at most one activity message waits,
// a newer one replacing it; it is written only when nothing else is queued, after the
// message in flight, so it never waits behind itself nor holds frames back by more than
// one small write.

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "core/domain/role.hpp"
#include "core/store/store.hpp"
#include "server/live/activity_record.hpp"
#include "server/live/change_record.hpp"
#include "server/app/config.hpp"
#include "server/live/view_subscription.hpp"

namespace tribune::server {

class hub;
struct subscribe_request;

class websocket_session : public std::enable_shared_from_this<websocket_session> {
public:
    // At most this many frames per second per client in view mode.
    static constexpr std::chrono::milliseconds frame_interval{100};
    // A view-mode socket whose write has not completed for this long is cut.
    static constexpr std::chrono::seconds stall_timeout{30};

    websocket_session(boost::asio::ip::tcp::socket&& socket, hub& h, store& db, const config& cfg,
                      std::string event, std::optional<std::uint64_t> since, std::string epoch);
    ~websocket_session();

    // Accepts the upgrade request (its `mode` parameter picks the protocol), then joins the
    // hub (per change) or waits for the client's subscribe message (view).
    void run(boost::beast::http::request<boost::beast::http::string_body> req);

    // The hub's next change for this session's event.
    void deliver(std::shared_ptr<const change_record> r);
    // The hub's newest activity of this session's event (view mode; ignored otherwise, and
    // until a subscribe asks for activity). Never blocks.
    void deliver_activity(std::shared_ptr<const activity_record> a);
    void close_going_away();
    // Closes with 1008 (policy violation): the stream's token was revoked.
    void close_revoked();
    // The access token this stream was opened with (0 for none), its name and its role.
    // REQUIRES: set before run(); read-only afterwards, so the hub may read them from any
    // thread.
    void set_token(std::int64_t id, std::string name, role r) {
        token_id_ = id;
        token_name_ = std::move(name);
        token_role_ = r;
    }
    std::int64_t token_id() const { return token_id_; }
    const std::string& token_name() const { return token_name_; }
    role token_role() const { return token_role_; }
    // True for the view protocol. Set by run() before the session registers with the hub;
    // read-only afterwards.
    bool view_protocol() const { return protocol_ == protocol::view; }

private:
    enum class protocol { per_change, view };
    using clock = std::chrono::steady_clock;

    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void on_record(std::shared_ptr<const change_record> r);
    void on_client_message(const std::string& text);
    void subscribe(subscribe_request req);
    void send_view_snapshot();
    void schedule_frame();
    void on_timer(boost::beast::error_code ec);
    void flush();
    void queue_message(std::shared_ptr<const std::string> msg);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void send_per_change_snapshot(std::uint64_t seq);
    void drop();
    void close_with(boost::beast::websocket::close_code code);
    void on_activity(std::shared_ptr<const activity_record> a);
    void want_activity(bool on);
    void offer_activity(std::shared_ptr<const activity_record> a);
    void write_activity();
    std::int64_t token_id_ = 0;
    std::string token_name_;
    role token_role_ = role::audience;

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    boost::asio::steady_timer timer_;
    hub& hub_;
    store& db_;
    const config& cfg_;
    const std::string event_;
    const std::optional<std::uint64_t> since_;  // from the URL: the first resume point
    const std::string epoch_;
    protocol protocol_ = protocol::per_change;
    std::deque<std::shared_ptr<const std::string>> queue_;
    clock::time_point write_started_{};
    bool joined_ = false;
    bool closing_ = false;
    std::uint64_t seq_ = 0;  // per change: the last seq queued

    // View mode.
    std::optional<view_subscription> view_;
    bool subscribed_once_ = false;
    bool resync_ = false;  // fell behind: the next thing to send is a fresh snapshot
    bool timer_armed_ = false;
    clock::time_point last_frame_at_{};

    // View mode: activity.
    bool activity_wanted_ = false;        // the last subscribe asked for it
    std::uint64_t activity_version_ = 0;  // of the newest record accepted; older ones are stale
    std::shared_ptr<const activity_record> activity_pending_;  // at most one, unsent
};

}  // namespace tribune::server

#pragma once
// websocket_session: the transport of one client's live stream of an event. It completes
// the handshake, reads the client's messages, and writes what its protocol (per_change_
// protocol or view_protocol) sends: at most one write in flight, a send queue capped at the
// protocol's queue_limit() and at config::ws_send_queue_bytes behind the message being
// written (beyond either the client is disconnected), Beast's suggested
// timeouts. It registers with presence from the handshake to its destructor; the protocol
// joins the hub.
//
// Lifetime: lives as long as an async operation holds shared_from_this(); the hub and
// presence hold it by weak_ptr.
// Thread safety: all state is touched only on the session's strand. The stream_subscriber
// members (deliver, close) may be called from any thread; they post onto the strand. At most
// max_waiting_deliveries deliveries wait on the strand; beyond, they are dropped and one gap
// notice is posted instead (the protocol resyncs or cuts), so a stalled strand holds a
// bounded number of the hub's (shared) batches.

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include "server/app/config.hpp"
#include "server/live/presence.hpp"
#include "server/live/stream_protocol.hpp"
#include "server/live/stream_subscriber.hpp"

namespace tribune::server {

class websocket_session final : public stream_subscriber,
                                public stream_transport,
                                public std::enable_shared_from_this<websocket_session> {
  public:
    static constexpr int max_waiting_deliveries = 1024;

    websocket_session(boost::asio::ip::tcp::socket&& socket, presence& p, const config& cfg,
                      std::string event, stream_identity who,
                      std::unique_ptr<stream_protocol> protocol);
    ~websocket_session() override;

    // Accepts the upgrade request, then registers with presence and opens the protocol.
    void run(boost::beast::http::request<boost::beast::http::string_body> req);

    // stream_subscriber: any thread.
    const stream_identity& identity() const override { return who_; }
    bool receives_activity() const override { return receives_activity_; }
    void deliver(delivery d) override;
    void deliver_activity(std::shared_ptr<const activity_record> a) override;
    void close_going_away() override;
    void close_revoked() override;

    // stream_transport: the session's strand only.
    void send(std::shared_ptr<const std::string> message) override;
    bool idle() const override { return queue_.empty(); }
    clock::duration write_age() const override;
    bool closing() const override { return closing_; }
    void drop() override;
    void wake_at(clock::time_point when) override;
    std::shared_ptr<stream_subscriber> subscriber() override { return shared_from_this(); }

  private:
    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void close_with(boost::beast::websocket::close_code code);

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    boost::asio::steady_timer timer_;
    presence& presence_;
    const config& cfg_;
    const std::string event_;
    const stream_identity who_;
    // Destroyed with the session: the protocol leaves the hub.
    const std::unique_ptr<stream_protocol> protocol_;
    const bool receives_activity_;
    const std::size_t queue_limit_;
    std::deque<std::shared_ptr<const std::string>> queue_;  // front: being written
    std::size_t queued_bytes_ = 0;                          // of every message in queue_
    clock::time_point write_started_{};
    // Deliveries posted to the strand and not yet run (any thread), and whether a gap
    // notice is posted (at most one at a time).
    std::atomic<int> deliveries_waiting_{0};
    std::atomic<bool> gap_posted_{false};
    bool registered_ = false;  // with presence
    bool closing_ = false;
};

}  // namespace tribune::server

#pragma once
// listener: accepts connections and starts an http_session for each, on its own strand.
// Beyond `max_connections` (HTTP sessions + WebSocket clients) a new connection gets a
// 503 `too_many_connections` answer and is closed; it never reaches a session.
//
// Graceful stop: stop() closes the acceptor and puts the sessions into draining (each
// answers what it has read with `Connection: close`, and reads no further request);
// wait_for_requests() then blocks until every request in flight has been answered.
//
// Lifetime: shared; lives while an accept is pending. Sessions share its tracker.
// Thread safety: run() once; stop(), wait_for_requests() and the counters from any thread.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <chrono>
#include <memory>

#include "core/domain/status.hpp"
#include "server/api/api.hpp"
#include "server/app/config.hpp"
#include "server/live/presence.hpp"
#include "server/net/connection_tracker.hpp"

namespace tribune::server {

class listener : public std::enable_shared_from_this<listener> {
  public:
    // `streams` counts the open WebSocket streams towards max_connections.
    listener(boost::asio::io_context& ioc, api& a, const presence& streams, const config& cfg);
    // Errors: unavailable with the reason (address in use, bad address).
    status bind(const boost::asio::ip::tcp::endpoint& ep);
    void run();
    // Stops accepting and starts draining the sessions.
    void stop();
    // True when no request is in flight any more; false when `deadline` came first.
    bool wait_for_requests(std::chrono::steady_clock::time_point deadline);
    std::size_t http_connections() const { return tracker_->connections(); }
    std::size_t requests_in_flight() const { return tracker_->requests_in_flight(); }
    std::uint16_t port() const { return port_; }

  private:
    void do_accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
    void refuse(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& ioc_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    api& api_;
    const presence& streams_;
    const config& cfg_;
    const std::shared_ptr<connection_tracker> tracker_;
    std::uint16_t port_ = 0;
};

}  // namespace tribune::server

#pragma once
// poster: one keep-alive HTTP connection that posts the run's tickets one at a time (take a
// ticket, wait until it is due, POST, read the answer, record it). On a transport error the
// ticket is counted as failed and the connection reconnects.
//
// Lifetime: shared_from_this() held by its pending operation. Thread safety: on its strand.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <functional>
#include <memory>
#include <string>

#include "bench/load/load_run.hpp"

namespace tribune::bench {

struct target {
    boost::asio::ip::tcp::endpoint endpoint;
    std::string host;           // Host header
    std::string post_path;      // /api/v1/events/<slug>/questions
    std::string authorization;  // "Bearer ..."
};

class poster : public std::enable_shared_from_this<poster> {
  public:
    poster(boost::asio::io_context& ioc, const target& t, load_run& run);
    // Posts until the run has no ticket left, then calls `on_done` (on this strand).
    void start(std::function<void()> on_done);

  private:
    void connect();
    void next();
    void send();
    void on_written(boost::beast::error_code ec, std::size_t);
    void on_read(boost::beast::error_code ec, std::size_t);
    void fail();

    const target& target_;
    load_run& run_;
    boost::beast::tcp_stream stream_;
    boost::asio::steady_timer timer_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    boost::beast::http::response<boost::beast::http::string_body> response_;
    ticket ticket_;
    steady::time_point sent_;
    bool connected_ = false;
    std::function<void()> on_done_;
};

}  // namespace tribune::bench

#pragma once
// replay_connection: one keep-alive HTTP/1.1 connection of `tribune replay`. It takes a line
// from the dispatcher, waits until the line is due, POSTs it, reads the answer, and takes the
// next: one request in flight at a time.
//
// Answers: 201/200 stored (counted); 503 and 429 sent again after Retry-After (default 1 s,
// at most 60 s; at most max_retries_per_line times); 401, 403 and 404 event_not_found abort
// the run; any other status is an error for that line and the run goes on. A transport failure
// (refused, reset, timeout) closes the socket and sends the same line again on a new one after
// a growing pause: the (source, external_id) of every line makes a repeated POST harmless.
// After max_transport_failures in a row the server is taken as lost and the run aborts.
//
// Lifetime and threads: owned by shared_ptr; every handler runs on the connection's own
// strand and holds shared_from_this(), so the object lives while an operation is pending.
// stop() may be called from any thread. The dispatcher, stats and console outlive it.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "cli/replay_dispatcher.hpp"

namespace tribune::cli {

struct replay_request_target {
    boost::asio::ip::tcp::resolver::results_type endpoints;
    std::string host_header;  // "host:port"
    std::string path;         // "/api/v1/events/SLUG/questions" with the URL's prefix
    std::string authorization;
    std::chrono::seconds timeout{60};
};

class replay_connection : public std::enable_shared_from_this<replay_connection> {
public:
    static constexpr int max_retries_per_line = 100;
    static constexpr int max_transport_failures = 8;
    static constexpr std::chrono::seconds max_retry_after{60};

    replay_connection(boost::asio::io_context& ioc, const replay_request_target& target,
                      replay_dispatcher& dispatcher, replay_stats& stats, replay_console& console);

    // Starts taking lines. `on_done` runs once, on the strand, when the connection has no more
    // work (end of the file, stopped, or aborted).
    void start(std::function<void()> on_done);
    // Stops waiting for a due time or a retry; a request in flight finishes.
    void stop();

private:
    using tcp = boost::asio::ip::tcp;

    void take_next();
    void wait_until(std::chrono::steady_clock::time_point due);
    void send();
    void on_connect(boost::beast::error_code ec);
    void write();
    void on_write(boost::beast::error_code ec);
    void on_read(boost::beast::error_code ec);
    void handle_answer();
    void retry(std::chrono::steady_clock::duration delay);
    void transport_failure(boost::beast::error_code ec, const char* what);
    void fail_line(unsigned http_status, std::string code, std::string message);
    void close();
    void finish();

    const replay_request_target& target_;
    replay_dispatcher& dispatcher_;
    replay_stats& stats_;
    replay_console& console_;

    boost::beast::tcp_stream stream_;
    boost::asio::steady_timer timer_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    boost::beast::http::response<boost::beast::http::string_body> response_;
    std::function<void()> on_done_;

    std::optional<replay_dispatcher::ticket> ticket_;
    bool connected_ = false;
    bool first_attempt_ = true;  // the ticket's line has not been written yet
    int retries_ = 0;            // of the current line
    int transport_failures_ = 0;  // in a row, on this connection
    bool finished_ = false;
};

}  // namespace tribune::cli

#pragma once
// dashboard: one view-protocol WebSocket client, as the dashboard opens it (a subscribe
// message, then snapshots and frames). For each message it records when it arrived, its
// size, the event's counted total, and for each question of the run the first frame that
// upserts (the frame that makes it visible), the delay from that question's 201 to this
// frame. When its subscribe asks for acks ("ack":true) it acknowledges each snapshot and
// frame once scanned, as web/connection.js does once it has applied one.
//
// Lifetime: shared_from_this() held by its pending operation. Thread safety: its state is
// touched on its strand only; read stats() after the io_context stopped.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/load/load_run.hpp"
#include "bench/load/poster.hpp"

namespace tribune::bench {

struct dashboard_stats {
    bool ready = false;   // its first snapshot arrived
    bool failed = false;  // the connection failed or closed before the end
    std::uint64_t snapshots = 0, frames = 0, bytes = 0, changes = 0, max_message = 0;
    // Per message after the first snapshot: (microseconds since `origin`, counted total).
    std::vector<std::pair<std::int64_t, std::int64_t>> counted;
};

struct dashboard_options {
    std::string stream_path;  // /api/v1/events/<slug>/stream?mode=view
    std::string subscribe;    // the subscribe message
    steady::time_point origin;
    std::int64_t until_counted = -1;  // > 0: call on_counted once the total reaches it
};

class dashboard : public std::enable_shared_from_this<dashboard> {
  public:
    dashboard(boost::asio::io_context& ioc, const target& t, const dashboard_options& o,
              load_run& run, latency_histogram& page_delay, std::atomic<std::uint64_t>& bytes);
    void start(std::function<void()> on_ready, std::function<void(steady::time_point)> on_counted);
    void close();
    const dashboard_stats& stats() const { return stats_; }

  private:
    void on_message(std::string_view m);
    void read();
    void fail();
    // Acknowledges `seq` (at most one write in flight; a newer seq replaces one waiting).
    void ack(std::uint64_t seq);

    const target& target_;
    const dashboard_options& options_;
    load_run& run_;
    latency_histogram& page_delay_;
    std::atomic<std::uint64_t>& bytes_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::function<void()> on_ready_;
    std::function<void(steady::time_point)> on_counted_;
    bool counted_reached_ = false;
    bool closing_ = false;  // close() asked: errors from now on are expected
    const bool acks_;       // the subscribe asked for acks
    bool ack_writing_ = false;
    std::uint64_t ack_waiting_ = 0;  // 0: none
    std::string ack_message_;        // the one being written
    std::vector<bool> seen_;         // by ticket: upserted by an earlier frame
    dashboard_stats stats_;
};

}  // namespace tribune::bench

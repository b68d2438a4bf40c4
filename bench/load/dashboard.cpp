#include "bench/load/dashboard.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "bench/load/frame_scan.hpp"

namespace tribune::bench {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

dashboard::dashboard(net::io_context& ioc, const target& t, const dashboard_options& o,
                     load_run& run, latency_histogram& page_delay,
                     std::atomic<std::uint64_t>& bytes)
    : target_(t),
      options_(o),
      run_(run),
      page_delay_(page_delay),
      bytes_(bytes),
      ws_(net::make_strand(ioc)),
      acks_(o.subscribe.find("\"ack\":true") != std::string::npos),
      seen_(run.total(), false) {}

void dashboard::start(std::function<void()> on_ready,
                      std::function<void(steady::time_point)> on_counted) {
    on_ready_ = std::move(on_ready);
    on_counted_ = std::move(on_counted);
    auto self = shared_from_this();
    beast::get_lowest_layer(ws_).async_connect(target_.endpoint, [self](beast::error_code ec) {
        if (ec) return self->fail();
        beast::get_lowest_layer(self->ws_).expires_never();
        self->ws_.set_option(websocket::stream_base::decorator(
            [self](websocket::request_type& req) {
                req.set(http::field::authorization, self->target_.authorization);
            }));
        self->ws_.read_message_max(64 * 1024 * 1024);
        self->ws_.async_handshake(
            self->target_.host, self->options_.stream_path, [self](beast::error_code hec) {
                if (hec) return self->fail();
                self->ws_.text(true);
                self->ws_.async_write(net::buffer(self->options_.subscribe),
                                      [self](beast::error_code wec, std::size_t) {
                                          if (wec) return self->fail();
                                          self->read();
                                      });
            });
    });
}

void dashboard::read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        if (ec) return self->fail();
        const auto data = self->buffer_.cdata();
        self->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
        self->stats_.bytes += n;
        self->bytes_.fetch_add(n, std::memory_order_relaxed);
        self->buffer_.consume(self->buffer_.size());
        self->read();
    });
}

void dashboard::on_message(std::string_view m) {
    const auto now = steady::now();
    if (m.size() > stats_.max_message) stats_.max_message = m.size();
    const scanned_message s = scan_message(m, run_.prefix());
    if (s.type == scanned_message::kind::other) return;
    if (s.type == scanned_message::kind::snapshot) ++stats_.snapshots;
    else ++stats_.frames;
    stats_.changes += s.changes;
    if (s.counted) stats_.counted.emplace_back(micros_between(options_.origin, now), *s.counted);
    if (!s.upserted.empty() && run_.started()) {
        const std::int64_t since_start = micros_between(run_.started_at(), now);
        for (std::int64_t i : s.upserted) {
            if (i < 0) continue;
            const std::int64_t a = run_.answered_at(static_cast<std::size_t>(i));
            // Only the frame that first shows it: later frames may carry it again.
            if (static_cast<std::size_t>(i) < seen_.size()) {
                if (seen_[static_cast<std::size_t>(i)]) continue;
                seen_[static_cast<std::size_t>(i)] = true;
            }
            // A frame may overtake its 201 on the way to this process: a delay of about 0.
            page_delay_.record(a < 0 ? 0 : since_start - a);
        }
    }
    if (acks_ && s.seq) ack(*s.seq);
    if (!stats_.ready && s.type == scanned_message::kind::snapshot) {
        stats_.ready = true;
        if (on_ready_) on_ready_();
    }
    if (!counted_reached_ && options_.until_counted > 0 && s.counted &&
        *s.counted >= options_.until_counted) {
        counted_reached_ = true;
        if (on_counted_) on_counted_(now);
    }
}

void dashboard::ack(std::uint64_t seq) {
    if (ack_writing_) {
        ack_waiting_ = seq;
        return;
    }
    ack_writing_ = true;
    ack_message_ = "{\"type\":\"ack\",\"seq\":" + std::to_string(seq) + "}";
    ws_.async_write(net::buffer(ack_message_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->ack_writing_ = false;
        if (ec) return self->fail();
        if (self->ack_waiting_ != 0) {
            const std::uint64_t next = self->ack_waiting_;
            self->ack_waiting_ = 0;
            self->ack(next);
        }
    });
}

void dashboard::close() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        self->closing_ = true;
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both,
                                                             ignored);
        beast::get_lowest_layer(self->ws_).close();
    });
}

void dashboard::fail() {
    if (closing_) return;
    if (!stats_.failed && !stats_.ready && on_ready_) on_ready_();  // never ready: do not wait
    stats_.failed = true;
}

}  // namespace tribune::bench

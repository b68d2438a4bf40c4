#include "server/live/websocket_session.hpp"

#include <boost/asio/post.hpp>

#include "server/ops/log.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

websocket_session::websocket_session(net::ip::tcp::socket&& socket, presence& p, const config& cfg,
                                     std::string event, stream_identity who,
                                     std::unique_ptr<stream_protocol> protocol)
    : ws_(std::move(socket)),
      timer_(ws_.get_executor()),
      presence_(p),
      cfg_(cfg),
      event_(std::move(event)),
      who_(std::move(who)),
      protocol_(std::move(protocol)),
      receives_activity_(protocol_->receives_activity()),
      queue_limit_(protocol_->queue_limit()) {}

websocket_session::~websocket_session() {
    if (registered_) presence_.close(event_, this);
}

void websocket_session::run(http::request<http::string_body> req) {
    if (auto bytes = protocol_->send_buffer_bytes()) {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().set_option(net::socket_base::send_buffer_size(*bytes),
                                                         ignored);
    }
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "tribune"); }));
    ws_.read_message_max(cfg_.ws_max_message_bytes);
    ws_.async_accept(req,
                     beast::bind_front_handler(&websocket_session::on_accept, shared_from_this()));
}

void websocket_session::on_accept(beast::error_code ec) {
    if (ec) return log_failure(ec, "websocket accept");
    // Open on the event from now on: moderators online, revocation, shutdown.
    registered_ = true;
    presence_.open(event_, shared_from_this());
    protocol_->on_open(*this);
    do_read();
}

void websocket_session::do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&websocket_session::on_read, shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // closed by the peer, timed out, or dropped: the session ends
    if (!closing_) protocol_->on_message(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    do_read();
}

void websocket_session::deliver(delivery d) {
    if (deliveries_waiting_.fetch_add(1) >= max_waiting_deliveries) {
        deliveries_waiting_.fetch_sub(1);
        if (gap_posted_.exchange(true)) return;
        // Runs after every delivery already waiting: the protocol sees the gap after them.
        net::post(ws_.get_executor(), [self = shared_from_this()] {
            self->gap_posted_ = false;
            if (!self->closing_) self->protocol_->on_gap();
        });
        return;
    }
    net::post(ws_.get_executor(), [self = shared_from_this(), d = std::move(d)] {
        self->deliveries_waiting_.fetch_sub(1);
        if (!self->closing_) self->protocol_->on_batch(d);
    });
}

void websocket_session::deliver_activity(std::shared_ptr<const activity_record> a) {
    net::post(ws_.get_executor(), [self = shared_from_this(), a = std::move(a)]() mutable {
        if (!self->closing_) self->protocol_->on_activity(std::move(a));
    });
}

void websocket_session::close_going_away() { close_with(websocket::close_code::going_away); }

void websocket_session::close_revoked() { close_with(websocket::close_code::policy_error); }

void websocket_session::close_with(websocket::close_code code) {
    net::post(ws_.get_executor(), [self = shared_from_this(), code] {
        if (self->closing_) return;
        self->closing_ = true;
        if (!self->queue_.empty()) {
            self->queue_.erase(self->queue_.begin() + 1, self->queue_.end());
            self->queued_bytes_ = self->queue_.front()->size();
        }
        self->timer_.cancel();
        self->ws_.async_close(code, [self](beast::error_code) {});
    });
}

void websocket_session::send(std::shared_ptr<const std::string> message) {
    if (closing_) return;
    if (queue_.size() >= queue_limit_) return drop();
    // The message being written does not count: one snapshot may be larger than the cap.
    const std::size_t waiting = queue_.empty() ? 0 : queued_bytes_ - queue_.front()->size();
    if (!queue_.empty() && waiting + message->size() > cfg_.ws_send_queue_bytes) return drop();
    queued_bytes_ += message->size();
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) do_write();
}

stream_transport::clock::duration websocket_session::write_age() const {
    return queue_.empty() ? clock::duration::zero() : clock::now() - write_started_;
}

void websocket_session::wake_at(clock::time_point when) {
    timer_.expires_at(when);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec || self->closing_) return;
        self->protocol_->on_timer();
    });
}

void websocket_session::do_write() {
    write_started_ = clock::now();
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&websocket_session::on_write, shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
    if (ec) return drop();
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
    if (closing_) return;
    if (!queue_.empty()) return do_write();
    protocol_->on_drained();
}

void websocket_session::drop() {
    // A client too slow for its queue, or a failed write: cut the connection. The pending
    // read completes with an error and the last reference goes away.
    closing_ = true;
    // The message being written must outlive the write, which completes with an error.
    if (!queue_.empty()) {
        queue_.erase(queue_.begin() + 1, queue_.end());
        queued_bytes_ = queue_.front()->size();
    }
    timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
}

}  // namespace tribune::server

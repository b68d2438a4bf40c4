#include "server/websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "server/hub.hpp"
#include "server/json_codec.hpp"
#include "server/log.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
constexpr std::size_t max_client_message = 4096;
}

websocket_session::websocket_session(net::ip::tcp::socket&& socket, hub& h, store& db,
                                     const config& cfg, std::string event,
                                     std::optional<std::uint64_t> since, std::string epoch)
    : ws_(std::move(socket)),
      hub_(h),
      db_(db),
      cfg_(cfg),
      event_(std::move(event)),
      since_(since),
      epoch_(std::move(epoch)) {}

websocket_session::~websocket_session() {
    if (joined_) hub_.leave(event_, this);
}

void websocket_session::run(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "tribune");
    }));
    ws_.read_message_max(max_client_message);
    ws_.async_accept(req, beast::bind_front_handler(&websocket_session::on_accept,
                                                    shared_from_this()));
}

void websocket_session::on_accept(beast::error_code ec) {
    if (ec) return log_failure(ec, "websocket accept");
    joined_ = true;
    hub_.join(event_, shared_from_this(), since_, epoch_);
    do_read();
}

void websocket_session::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read,
                                                      shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // closed by the peer, timed out, or dropped: the session ends
    // Client messages carry nothing the server needs (pings keep the connection warm).
    buffer_.consume(buffer_.size());
    do_read();
}

void websocket_session::send(std::shared_ptr<const std::string> msg) {
    net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_send,
                                                            shared_from_this(), std::move(msg)));
}

void websocket_session::send_snapshot(std::uint64_t seq) {
    net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_snapshot,
                                                            shared_from_this(), seq));
}

void websocket_session::close_going_away() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        if (self->closing_) return;
        self->closing_ = true;
        self->queue_.clear();
        self->ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
    });
}

void websocket_session::on_snapshot(std::uint64_t seq) {
    if (closing_) return;
    json msg = {{"type", "snapshot"}, {"event", event_}, {"epoch", hub_.epoch()}, {"seq", seq}};
    auto ev = db_.find_event(event_);
    if (!ev) return drop();
    auto counts = db_.count_by_status(ev->id);
    question_query q;
    q.event_slug = event_;
    q.filter.statuses = {question_status::pending, question_status::held};
    q.limit = cfg_.snapshot_limit;
    auto page = db_.list_questions(q);
    if (!counts || !page) return drop();
    msg["counts"] = to_json(*counts);
    json items = json::array();
    for (const question& item : page->items) items.push_back(to_json(item));
    msg["items"] = std::move(items);
    on_send(std::make_shared<const std::string>(msg.dump()));
}

void websocket_session::on_send(std::shared_ptr<const std::string> msg) {
    if (closing_) return;
    if (queue_.size() >= cfg_.ws_send_queue_limit) return drop();
    queue_.push_back(std::move(msg));
    if (queue_.size() == 1) do_write();
}

void websocket_session::do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&websocket_session::on_write, shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
    if (ec) return drop();
    queue_.pop_front();
    if (!queue_.empty() && !closing_) do_write();
}

void websocket_session::drop() {
    // A client too slow for its queue, or a failed write: cut the connection. The pending
    // read completes with an error and the last reference goes away.
    closing_ = true;
    queue_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
}

}  // namespace tribune::server

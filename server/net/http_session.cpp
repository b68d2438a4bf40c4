#include "server/net/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "server/http/responses.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
// Bytes read at once while waiting for a request to begin.
constexpr std::size_t first_read_bytes = 4096;

std::string size_text(std::size_t bytes) {
    if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}
}  // namespace

http_session::http_session(net::ip::tcp::socket&& socket, api& a, const config& cfg,
                           std::shared_ptr<connection_tracker> tracker)
    : stream_(std::move(socket)), api_(a), cfg_(cfg), tracker_(std::move(tracker)) {
    tracker_->connection_opened();
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        client_.ip = ep.address().to_string();
        client_.loopback = ep.address().is_loopback();
    }
}

http_session::~http_session() {
    finish_request();
    tracker_->connection_closed();
}

void http_session::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
    if (tracker_->draining()) return do_close();
    // Pipelined bytes already here: the next request has begun.
    if (buffer_.size() > 0) return read_request();
    stream_.expires_after(cfg_.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(first_read_bytes),
        beast::bind_front_handler(&http_session::on_first_bytes, shared_from_this()));
}

void http_session::on_first_bytes(beast::error_code ec, std::size_t bytes) {
    // Idle timeout, the client closed, or a failure: nothing was asked, nothing to answer.
    if (ec) return;
    buffer_.commit(bytes);
    read_request();
}

void http_session::read_request() {
    in_request_ = true;
    tracker_->request_started();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(cfg_.max_header_bytes));
    parser_->body_limit(cfg_.max_body_bytes);
    // One deadline for the whole request, however slowly its bytes arrive.
    stream_.expires_after(cfg_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec == http::error::body_limit) {
        // The rest of the body is not read, so the connection cannot be reused.
        api_.count("body_too_large", 413, 0.0);
        return send(error_response(
            status::error(
                error_kind::invalid_argument, "body_too_large",
                "request body is larger than " + std::to_string(cfg_.max_body_bytes) + " bytes"),
            11, false));
    }
    if (ec == http::error::header_limit) {
        api_.count("headers_too_large", 400, 0.0);
        return send(error_response(
            status::error(error_kind::invalid_argument, "headers_too_large",
                          "request headers are larger than " + size_text(cfg_.max_header_bytes)),
            11, false));
    }
    // Timeout (a request that arrives too slowly), a reset, or a malformed request: close.
    if (ec) return log_failure(ec, "http read");

    stream_.expires_never();
    auto req = parser_->release();
    if (beast::websocket::is_upgrade(req)) {
        auto accepted = api_.upgrade(req, client_);
        if (auto* res = std::get_if<http_response>(&accepted)) return send(std::move(*res));
        finish_request();
        beast::get_lowest_layer(stream_).expires_never();
        std::get<stream_opener>(accepted)(stream_.release_socket(), std::move(req));
        return;
    }
    // The responder may run on a scoring worker: hop back onto this connection's strand.
    api_.handle(req, client_, [self = shared_from_this()](outgoing out) {
        net::post(self->stream_.get_executor(),
                  [self, out = std::move(out)]() mutable { self->send(std::move(out)); });
    });
}

struct http_session::piecewise {
    http::response<http::empty_body> head;
    http::response_serializer<http::empty_body> serializer{head};
    body_pieces pieces;
    std::string piece;  // the piece being written
};

void http_session::send(outgoing out) {
    if (out.pieces) return send_pieces(std::move(out.res), std::move(out.pieces));
    http_response& res = out.res;
    if (tracker_->draining()) res.keep_alive(false);
    writing_ = std::make_shared<http_response>(std::move(res));
    const bool keep_alive = writing_->keep_alive();
    stream_.expires_after(cfg_.read_timeout);
    http::async_write(
        stream_, *writing_,
        beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::send_pieces(http_response head, body_pieces pieces) {
    if (tracker_->draining()) head.keep_alive(false);
    piecewise_ = std::make_shared<piecewise>();
    piecewise_->head.result(head.result());
    piecewise_->head.version(head.version());
    for (const auto& field : head) piecewise_->head.set(field.name_string(), field.value());
    piecewise_->head.keep_alive(head.keep_alive());
    piecewise_->head.chunked(true);
    piecewise_->pieces = std::move(pieces);
    const bool keep_alive = piecewise_->head.keep_alive();
    stream_.expires_after(cfg_.read_timeout);
    http::async_write_header(stream_, piecewise_->serializer,
                             [self = shared_from_this(), keep_alive](beast::error_code ec,
                                                                     std::size_t) {
                                 if (ec) return self->on_write(keep_alive, ec, 0);
                                 self->write_next_piece(keep_alive);
                             });
}

void http_session::write_next_piece(bool keep_alive) {
    auto self = shared_from_this();
    auto next = piecewise_->pieces();
    if (!next) {
        // The body cannot be finished: end the connection without the last chunk, so the
        // client cannot take the cut body for a whole one.
        log_line("body in pieces failed: " + next.error().message());
        piecewise_.reset();
        finish_request();
        beast::error_code ignored;
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        return;
    }
    stream_.expires_after(cfg_.read_timeout);
    if (!*next) {
        piecewise_.reset();
        return net::async_write(stream_, http::make_chunk_last(),
                                beast::bind_front_handler(&http_session::on_write, self, keep_alive));
    }
    piecewise_->piece = std::move(**next);
    if (piecewise_->piece.empty()) return write_next_piece(keep_alive);
    net::async_write(stream_, http::make_chunk(net::buffer(piecewise_->piece)),
                     [self, keep_alive](beast::error_code ec, std::size_t) {
                         if (ec) {
                             self->piecewise_.reset();
                             return self->on_write(keep_alive, ec, 0);
                         }
                         self->write_next_piece(keep_alive);
                     });
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    writing_.reset();
    finish_request();
    if (ec) return log_failure(ec, "http write");
    if (!keep_alive) return do_close();
    do_read();
}

void http_session::finish_request() {
    if (!in_request_) return;
    in_request_ = false;
    tracker_->request_finished();
}

void http_session::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace tribune::server

#include "server/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "server/log.hpp"
#include "server/websocket_session.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
constexpr std::uint32_t header_limit = 16 * 1024;
}

http_session::http_session(net::ip::tcp::socket&& socket, api& a, hub& h, store& db,
                           const config& cfg)
    : stream_(std::move(socket)), api_(a), hub_(h), db_(db), cfg_(cfg) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        client_.ip = ep.address().to_string();
        client_.loopback = ep.address().is_loopback();
    }
}

void http_session::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(cfg_.max_body_bytes);
    stream_.expires_after(cfg_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec == http::error::body_limit) {
        // The rest of the body is not read, so the connection cannot be reused.
        api_.count("body_too_large", 413, 0.0);
        return send(api::error_response(
            status::error(error_kind::invalid_argument, "body_too_large",
                          "request body is larger than " + std::to_string(cfg_.max_body_bytes) +
                              " bytes"),
            11, false));
    }
    if (ec == http::error::header_limit) {
        return send(api::error_response(
            status::error(error_kind::invalid_argument, "headers_too_large",
                          "request headers are larger than 16 KiB"),
            11, false));
    }
    if (ec) return log_failure(ec, "http read");

    stream_.expires_never();
    auto req = parser_->release();
    if (beast::websocket::is_upgrade(req)) {
        auto target = api_.match_stream(req, client_);
        if (auto* res = std::get_if<api::response>(&target)) return send(std::move(*res));
        auto& t = std::get<api::stream_target>(target);
        beast::get_lowest_layer(stream_).expires_never();
        std::make_shared<websocket_session>(stream_.release_socket(), hub_, db_, cfg_,
                                            std::move(t.event), t.since, std::move(t.epoch))
            ->run(std::move(req));
        return;
    }
    // The responder may run on a scoring worker: hop back onto this connection's strand.
    api_.handle(req, client_, [self = shared_from_this()](api::response res) {
        net::post(self->stream_.get_executor(),
                  [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
    });
}

void http_session::send(api::response res) {
    writing_ = std::make_shared<api::response>(std::move(res));
    const bool keep_alive = writing_->keep_alive();
    stream_.expires_after(cfg_.read_timeout);
    http::async_write(stream_, *writing_,
                      beast::bind_front_handler(&http_session::on_write, shared_from_this(),
                                                keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    writing_.reset();
    if (ec) return log_failure(ec, "http write");
    if (!keep_alive) return do_close();
    do_read();
}

void http_session::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace tribune::server

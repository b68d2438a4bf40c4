#include "server/net/listener.hpp"

#include <boost/asio/post.hpp>

#include <array>

#include "server/http/responses.hpp"
#include "server/net/http_session.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// How long a refused connection may take to receive its answer and close.
constexpr std::chrono::seconds refusal_timeout{2};

// 503 too_many_connections, Retry-After: 1, Connection: close.
const http_response& refusal() {
    static const http_response res =
        error_response(status::error(error_kind::unavailable, "too_many_connections",
                                     "the server has too many open connections; retry shortly"),
                       11, false);
    return res;
}

// After the answer: half-close, then read (and discard) until the client closes or the
// deadline passes. Closing with unread input would send a reset that can destroy the
// answer before the client reads it.
void discard_until_closed(std::shared_ptr<beast::tcp_stream> stream,
                          std::shared_ptr<std::array<char, 512>> scratch) {
    stream->async_read_some(net::buffer(*scratch),
                            [stream, scratch](beast::error_code ec, std::size_t) {
                                if (ec) return;  // end of stream, timeout or failure: done
                                discard_until_closed(stream, scratch);
                            });
}

}  // namespace

listener::listener(net::io_context& ioc, api& a, const presence& streams, const config& cfg)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      acceptor_(strand_),
      api_(a),
      streams_(streams),
      cfg_(cfg),
      tracker_(std::make_shared<connection_tracker>()) {}

status listener::bind(const tcp::endpoint& ep) {
    beast::error_code ec;
    auto fail = [&](const char* what) {
        return status::error(error_kind::unavailable, "listen_failed",
                             std::string("cannot ") + what + " " + ep.address().to_string() + ":" +
                                 std::to_string(ep.port()) + ": " + ec.message());
    };
    acceptor_.open(ep.protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("configure");
    acceptor_.bind(ep, ec);
    if (ec) return fail("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen on");
    port_ = acceptor_.local_endpoint().port();
    return status::ok();
}

void listener::run() { do_accept(); }

void listener::stop() {
    tracker_->start_draining();
    net::post(strand_, [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

bool listener::wait_for_requests(std::chrono::steady_clock::time_point deadline) {
    return tracker_->wait_for_requests(deadline);
}

void listener::do_accept() {
    // Each connection gets its own strand.
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
        log_failure(ec, "accept");
    } else if (tracker_->connections() + streams_.client_count() >= cfg_.max_connections) {
        refuse(std::move(socket));
    } else {
        std::make_shared<http_session>(std::move(socket), api_, cfg_, tracker_)->run();
    }
    do_accept();
}

void listener::refuse(tcp::socket socket) {
    api_.count("too_many_connections", 503, 0.0);
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    auto res = std::make_shared<http_response>(refusal());
    stream->expires_after(refusal_timeout);
    beast::http::async_write(*stream, *res, [stream, res](beast::error_code ec, std::size_t) {
        if (ec) return;
        beast::error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
        discard_until_closed(stream, std::make_shared<std::array<char, 512>>());
    });
}

}  // namespace tribune::server

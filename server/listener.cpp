#include "server/listener.hpp"

#include <boost/asio/post.hpp>

#include "server/http_session.hpp"
#include "server/log.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

listener::listener(net::io_context& ioc, api& a, hub& h, store& db, const config& cfg)
    : ioc_(ioc), strand_(net::make_strand(ioc)), acceptor_(strand_), api_(a), hub_(h), db_(db), cfg_(cfg) {}

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
    net::post(strand_, [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor_.close(ignored);
    });
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
    } else {
        std::make_shared<http_session>(std::move(socket), api_, hub_, db_, cfg_)->run();
    }
    do_accept();
}

}  // namespace tribune::server

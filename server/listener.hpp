#pragma once
// listener: accepts connections and starts an http_session for each, on its own strand.
//
// Lifetime: shared; lives while an accept is pending. stop() closes the acceptor.
// Thread safety: run() once; stop() from any thread (posted to the acceptor's strand).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <memory>

#include "core/status.hpp"
#include "core/store.hpp"
#include "server/api.hpp"
#include "server/config.hpp"
#include "server/hub.hpp"

namespace tribune::server {

class listener : public std::enable_shared_from_this<listener> {
public:
    listener(boost::asio::io_context& ioc, api& a, hub& h, store& db, const config& cfg);
    // Errors: unavailable with the reason (address in use, bad address).
    status bind(const boost::asio::ip::tcp::endpoint& ep);
    void run();
    void stop();
    std::uint16_t port() const { return port_; }

private:
    void do_accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& ioc_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    api& api_;
    hub& hub_;
    store& db_;
    const config& cfg_;
    std::uint16_t port_ = 0;
};

}  // namespace tribune::server

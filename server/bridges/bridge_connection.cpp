#include "server/bridges/bridge_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server/net/client_tls.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using net::use_awaitable;

bridge_connection::bridge_connection(net::any_io_executor ex, net::ssl::context& tls, parsed_url url,
                                     std::chrono::milliseconds timeout, std::chrono::milliseconds idle)
    : url_(std::move(url)), timeout_(timeout), idle_(idle), secure_(ex, tls), plain_(ex) {}

beast::tcp_stream& bridge_connection::lowest() {
    return url_.https ? beast::get_lowest_layer(secure_) : beast::get_lowest_layer(plain_);
}

net::awaitable<void> bridge_connection::connect() {
    tcp::resolver resolver(co_await net::this_coro::executor);
    lowest().expires_after(timeout_);
    auto endpoints = co_await resolver.async_resolve(url_.host, url_.port, use_awaitable);
    co_await lowest().async_connect(endpoints, use_awaitable);
    if (url_.https) {
        expect_server_name(secure_.next_layer(), url_.host);
        co_await secure_.next_layer().async_handshake(net::ssl::stream_base::client, use_awaitable);
    }
}

net::awaitable<int> bridge_connection::open_websocket(std::string target, header_pairs headers) {
    auto upgrade = [&](auto& ws) -> net::awaitable<int> {
        beast::get_lowest_layer(ws).expires_never();  // the WebSocket's own timeouts apply
        websocket::stream_base::timeout t;
        t.handshake_timeout = timeout_;
        t.idle_timeout = idle_;
        t.keep_alive_pings = true;
        ws.set_option(t);
        ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
            req.set(http::field::user_agent, "tribune-bridge/1");
            for (const auto& [name, value] : headers) req.set(name, value);
        }));
        ws.read_message_max(max_message);
        websocket::response_type res;
        auto [ec] = co_await ws.async_handshake(res, host_header(url_), target,
                                                net::as_tuple(use_awaitable));
        if (ec == websocket::error::upgrade_declined) co_return static_cast<int>(res.result_int());
        if (ec) throw boost::system::system_error(ec);
        co_return 101;
    };
    co_return url_.https ? co_await upgrade(secure_) : co_await upgrade(plain_);
}

net::awaitable<std::string> bridge_connection::read_message() {
    buffer_.clear();
    if (url_.https)
        co_await secure_.async_read(buffer_, use_awaitable);
    else
        co_await plain_.async_read(buffer_, use_awaitable);
    co_return beast::buffers_to_string(buffer_.data());
}

net::awaitable<int> bridge_connection::get(std::string target, header_pairs headers) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, host_header(url_));
    req.set(http::field::user_agent, "tribune-bridge/1");
    for (const auto& [name, value] : headers) req.set(name, value);
    buffer_.clear();
    parser_.emplace();
    parser_->body_limit(boost::none);
    lowest().expires_after(timeout_);
    if (url_.https) {
        co_await http::async_write(secure_.next_layer(), req, use_awaitable);
        co_await http::async_read_header(secure_.next_layer(), buffer_, *parser_, use_awaitable);
    } else {
        co_await http::async_write(plain_.next_layer(), req, use_awaitable);
        co_await http::async_read_header(plain_.next_layer(), buffer_, *parser_, use_awaitable);
    }
    co_return static_cast<int>(parser_->get().result_int());
}

net::awaitable<std::optional<std::string>> bridge_connection::read_body_some() {
    if (parser_->is_done()) co_return std::nullopt;
    char chunk[8192];
    parser_->get().body().data = chunk;
    parser_->get().body().size = sizeof chunk;
    lowest().expires_after(idle_);
    auto [ec, n] = url_.https ? co_await http::async_read_some(secure_.next_layer(), buffer_, *parser_,
                                                                net::as_tuple(use_awaitable))
                              : co_await http::async_read_some(plain_.next_layer(), buffer_, *parser_,
                                                               net::as_tuple(use_awaitable));
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::end_of_stream && parser_->is_done()) ec = {};
    if (ec) throw boost::system::system_error(ec);
    co_return std::string(chunk, sizeof chunk - parser_->get().body().size);
}

net::awaitable<std::string> bridge_connection::read_body(std::size_t limit) {
    std::string body;
    for (;;) {
        lowest().expires_after(timeout_);
        auto piece = co_await read_body_some();
        if (!piece) break;
        body += *piece;
        if (body.size() > limit) throw boost::system::system_error(http::error::body_limit);
    }
    co_return body;
}

void bridge_connection::close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
}

}  // namespace tribune::server

#pragma once
// bridge_connection: one outbound connection of a social bridge (issue 16), as C++20
// coroutines on the bridges' io_context: TCP, then TLS for https:// and wss:// (the peer's
// chain and name verified, SNI sent; server/net/client_tls.hpp), then either a WebSocket
// (Mastodon's streaming API, Jetstream) or one HTTP GET whose answer is read whole (a
// timeline page) or piece by piece as it arrives (server-sent events).
//
// Every step has a deadline: `timeout` for connecting, the handshakes and each HTTP read;
// a WebSocket pings after `idle`/2 of silence and fails after `idle` without an answer; a
// streamed body fails after `idle` without a byte. Failures throw boost::system::system_error.
//
// Thread safety: one coroutine uses a connection at a time, on the bridges' single io
// thread; close() from that thread (it makes the pending operation fail).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "server/hooks/http_delivery.hpp"

namespace tribune::server {

class bridge_connection {
public:
    bridge_connection(boost::asio::any_io_executor ex, boost::asio::ssl::context& tls, parsed_url url,
                      std::chrono::milliseconds timeout, std::chrono::milliseconds idle);

    // Resolves, connects and (https) completes the TLS handshake.
    boost::asio::awaitable<void> connect();
    // Upgrades to a WebSocket at `target`: 101 when upgraded, else the HTTP status the server
    // answered instead (a server without the WebSocket endpoint).
    boost::asio::awaitable<int> open_websocket(std::string target, header_pairs headers);
    // The next WebSocket message (at most max_message bytes).
    boost::asio::awaitable<std::string> read_message();
    // Sends a GET and reads the answer's header; returns its status.
    boost::asio::awaitable<int> get(std::string target, header_pairs headers);
    // The next bytes of the answer's body as they arrive; nullopt at its end.
    boost::asio::awaitable<std::optional<std::string>> read_body_some();
    // The rest of the body; throws message_size when it grows over `limit`.
    boost::asio::awaitable<std::string> read_body(std::size_t limit);
    // Closes the socket: the pending operation fails. Idempotent.
    void close();

    static constexpr std::size_t max_message = 1 << 20;

private:
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    boost::beast::tcp_stream& lowest();

    parsed_url url_;
    std::chrono::milliseconds timeout_;
    std::chrono::milliseconds idle_;
    // One of the two carries the connection (url_.https says which); HTTP uses next_layer().
    boost::beast::websocket::stream<tls_stream> secure_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> plain_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> parser_;
};

}  // namespace tribune::server

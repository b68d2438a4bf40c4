#pragma once
// http_session: one HTTP connection. Waits up to the idle timeout for the first byte of a
// request, then reads the whole request within the read timeout (a slow drip of headers
// is cut off), with a header and a body limit; hands it to the api, writes the answer,
// repeats while keep-alive. A body in pieces (body_pieces) is written with chunked
// transfer encoding, one piece in flight. A WebSocket upgrade the api accepts takes the socket over.
//
// While the server drains (connection_tracker::draining) every answer carries
// `Connection: close` and no further request is read.
//
// Lifetime: lives as long as an async operation holds shared_from_this().
// Thread safety: all state is touched on the connection's strand only; the api's
// responder posts back onto it.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>

#include "server/api/api.hpp"
#include "server/app/config.hpp"
#include "server/http/client_info.hpp"
#include "server/http/route_table.hpp"
#include "server/net/connection_tracker.hpp"

namespace tribune::server {

class http_session : public std::enable_shared_from_this<http_session> {
  public:
    http_session(boost::asio::ip::tcp::socket&& socket, api& a, const config& cfg,
                 std::shared_ptr<connection_tracker> tracker);
    ~http_session();
    http_session(const http_session&) = delete;
    http_session& operator=(const http_session&) = delete;

    void run();

  private:
    void do_read();
    void on_first_bytes(boost::beast::error_code ec, std::size_t bytes);
    void read_request();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void send(outgoing out);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
    // A body in pieces: the header, then one chunk per piece, then the last chunk.
    void send_pieces(http_response head, body_pieces pieces);
    void write_next_piece(bool keep_alive);
    void finish_request();
    void do_close();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    api& api_;
    const config& cfg_;
    const std::shared_ptr<connection_tracker> tracker_;
    bool in_request_ = false;                 // counted in the tracker's requests in flight
    std::shared_ptr<http_response> writing_;  // the response being written, kept alive
    // A body being written in pieces: its header's serializer, the producer, the piece in
    // flight (at most one).
    struct piecewise;
    std::shared_ptr<piecewise> piecewise_;
    client_info client_;                      // the peer's address, read once at accept
};

}  // namespace tribune::server

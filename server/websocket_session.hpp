#pragma once
// websocket_session: one dashboard's live stream of an event.
//
// Lifetime: lives as long as an async operation holds shared_from_this().
// Thread safety: all state is touched only on the session's strand. The public send*
// and close functions may be called from any thread; they post onto the strand.
// At most one write is in flight; the send queue is capped, and a client that falls
// behind the cap is disconnected (it resumes with ?since= on reconnect) so it never
// slows ingest or other clients.

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "core/store.hpp"
#include "server/config.hpp"

namespace tribune::server {

class hub;

class websocket_session : public std::enable_shared_from_this<websocket_session> {
public:
    websocket_session(boost::asio::ip::tcp::socket&& socket, hub& h, store& db, const config& cfg,
                      std::string event, std::optional<std::uint64_t> since, std::string epoch);
    ~websocket_session();

    // Accepts the upgrade request, then joins the hub.
    void run(boost::beast::http::request<boost::beast::http::string_body> req);

    void send(std::shared_ptr<const std::string> msg);
    // Loads the review queue and counts from the store and queues them as a snapshot
    // message for sequence number `seq`, ahead of anything posted after this call.
    void send_snapshot(std::uint64_t seq);
    void close_going_away();

private:
    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void on_send(std::shared_ptr<const std::string> msg);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void on_snapshot(std::uint64_t seq);
    void drop();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    hub& hub_;
    store& db_;
    const config& cfg_;
    const std::string event_;
    const std::optional<std::uint64_t> since_;
    const std::string epoch_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    bool joined_ = false;
    bool closing_ = false;
};

}  // namespace tribune::server

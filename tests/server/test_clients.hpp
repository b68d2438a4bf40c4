#pragma once
// Blocking HTTP and WebSocket clients for the integration tests, built on Boost.Beast.
// Every network operation has a deadline, so a broken server fails a test instead of
// hanging it.
//
// Thread safety: http_call is reentrant (one io_context per call) and may be called from
// many threads at once. A ws_client belongs to one test thread; its reads run on the
// client's own io thread and are handed over through a mutex-guarded inbox.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/beast.hpp>
#include <nlohmann/json.hpp>

namespace tribune::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using json = nlohmann::json;

using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::chrono::milliseconds default_http_timeout{20'000};
inline constexpr std::chrono::milliseconds default_ws_timeout{5'000};

struct http_response {
    // Transport failure (refused, reset, timeout). status is 0 then.
    beast::error_code error;
    unsigned status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    json body;                                   // null when empty or not JSON
    std::string raw;

    // The header's value, or "" when absent. `name` is case-insensitive.
    std::string header(std::string_view name) const;
    // body["error"]["code"], or "" when the body has no such string.
    std::string error_code() const;
};

// Prints status and body, for assertion messages.
std::ostream& operator<<(std::ostream& os, const http_response& r);

// One request on a fresh connection to 127.0.0.1:port. A non-empty body gets
// `Content-Type: application/json` unless `headers` names a Content-Type. A header named
// twice in `headers` is sent twice.
http_response http_call(std::uint16_t port, http::verb method, std::string_view target,
                        std::string body = {}, const header_list& headers = {},
                        std::chrono::milliseconds timeout = default_http_timeout);

// One persistent HTTP/1.1 connection, for keep-alive and pipelining tests.
class http_connection {
public:
    // Connects to 127.0.0.1:port; check connected().
    explicit http_connection(std::uint16_t port,
                             std::chrono::milliseconds timeout = default_http_timeout);

    bool connected() const { return connected_; }
    // Writes one request (keep-alive) without reading the answer.
    beast::error_code send(http::verb method, std::string_view target, std::string body = {},
                           const header_list& headers = {});
    // Reads the next response.
    http_response receive();
    // send() then receive().
    http_response request(http::verb method, std::string_view target, std::string body = {},
                          const header_list& headers = {});
    // True when the server has closed the connection (a read sees end of stream).
    bool closed_by_server();

private:
    std::uint16_t port_;
    std::chrono::milliseconds timeout_;
    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    bool connected_ = false;
};

// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string url_encode(std::string_view s);

class ws_client {
public:
    // Connects to ws://127.0.0.1:port<target> and completes the handshake.
    // Returns nullptr on failure and describes it in *error (when given).
    // `headers` are added to the handshake request (Authorization, Origin, Cookie).
    static std::unique_ptr<ws_client> connect(std::uint16_t port, std::string_view target,
                                              std::string* error = nullptr,
                                              std::chrono::milliseconds timeout =
                                                  default_ws_timeout,
                                              const header_list& headers = {});

    ~ws_client();
    ws_client(const ws_client&) = delete;
    ws_client& operator=(const ws_client&) = delete;

    // The next message as JSON; nullopt when none arrives within `timeout` or the
    // connection has ended. A message that is not JSON fails the current test.
    std::optional<json> read_json(std::chrono::milliseconds timeout = default_ws_timeout);

    // True once the server closed the connection (or it failed) and every received message
    // was read.
    bool ended();

    // Sends one text message; false on failure or after 5 s.
    bool send_text(std::string text);

    // Closing handshake (bounded by a few seconds), then joins the io thread. Idempotent.
    void close();

private:
    ws_client();
    void start_read();

    net::io_context ioc_;
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;  // used only on the io thread
    std::thread thread_;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::string> inbox_;  // GUARDED_BY(mutex_)
    bool ended_ = false;             // GUARDED_BY(mutex_)
};

// A WebSocket client that sends one message (a subscribe) and then does not read until told
// to: its socket's receive buffer is small, so the server's writes to it stall. Reads run
// on the calling thread.
class stalled_ws_client {
public:
    // Connects to ws://127.0.0.1:port<target> with the token, and sends `first_message`;
    // check ok().
    stalled_ws_client(std::uint16_t port, const std::string& target,
                      const std::string& first_message, const std::string& token);

    bool ok() const { return ok_; }
    bool ended() const { return ended_; }

    // Reads messages, handing each to `take`, until `take` returns true, the connection ends,
    // or `timeout` passes; closes the socket unless `take` returned true. Returns whether it
    // did. A message that is not JSON is handed over as a discarded value.
    bool read_until(const std::function<bool(const json&)>& take, std::chrono::milliseconds timeout);
    // The messages that arrive within `window` from now; the socket is closed afterwards.
    std::vector<json> read_for(std::chrono::milliseconds window);

private:
    net::io_context ioc_;
    websocket::stream<net::ip::tcp::socket> ws_;
    beast::flat_buffer buffer_;
    bool ok_ = false;
    bool ended_ = false;
};

}  // namespace tribune::test

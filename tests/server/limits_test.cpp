// Limits against hostile or broken clients (issue 5), each configurable (server/config.hpp,
// `tribune serve --help`): request body, headers, text length, JSON nesting depth, the read
// timeout against a slow drip of headers (slowloris), the keep-alive idle timeout, the
// maximum number of connections and the WebSocket message size.

#include <thread>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;
using tcp = net::ip::tcp;

class limits_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }
};

std::string nested_body(std::size_t depth) {
    // {"text": "...", "x": [[[...]]]}: the object itself is one level.
    std::string x(depth - 1, '[');
    x += std::string(depth - 1, ']');
    return R"({"text": "Nested question?", "x": )" + x + "}";
}

TEST_F(limits_test, body_over_the_configured_limit_is_413) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_body_bytes = 2048; }));
    auto big = call(http::verb::post, "/api/v1/events/demo/questions",
                    json{{"text", "Long?"}, {"author", std::string(2100, 'a')}}.dump());
    expect_error(big, 413, "body_too_large");
    auto fits = call(http::verb::post, "/api/v1/events/demo/questions",
                     json{{"text", "Short enough?"}, {"author", std::string(100, 'a')}}.dump());
    EXPECT_EQ(fits.status, 201u) << fits;
}

TEST_F(limits_test, headers_over_the_configured_limit_are_refused) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_header_bytes = 2048; }));
    auto big = call(http::verb::get, "/healthz", {}, {{"X-Padding", std::string(3000, 'p')}});
    expect_error(big, 400, "headers_too_large");
    auto fits = call(http::verb::get, "/healthz", {}, {{"X-Padding", std::string(1000, 'p')}});
    EXPECT_EQ(fits.status, 200u) << fits;
}

TEST_F(limits_test, text_over_the_configured_length_is_400) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_text_chars = 12; }));
    expect_error(post("/api/v1/events/demo/questions", json{{"text", "Thirteen chr?"}}), 400,
                 "text_too_long");
    // Code points, not bytes: twelve characters of two bytes each fit.
    auto fits = post("/api/v1/events/demo/questions",
                     json{{"text", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                                   "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9?"}});
    EXPECT_EQ(fits.status, 201u) << fits;
}

TEST_F(limits_test, json_nested_deeper_than_the_default_limit_is_400) {
    ASSERT_NO_FATAL_FAILURE(start_default());
    ASSERT_EQ(current_config().max_json_depth, 32u);
    auto deep = call(http::verb::post, "/api/v1/events/demo/questions", nested_body(33));
    expect_error(deep, 400, "invalid_json");
    auto fits = call(http::verb::post, "/api/v1/events/demo/questions", nested_body(32));
    EXPECT_EQ(fits.status, 201u) << fits;
}

// config::max_json_depth reaches parse_object (server/api/request_context.cpp).
TEST_F(limits_test, json_nested_deeper_than_the_configured_limit_is_400) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_json_depth = 4; }));
    expect_error(call(http::verb::post, "/api/v1/events/demo/questions", nested_body(5)), 400,
                 "invalid_json");
    auto fits = call(http::verb::post, "/api/v1/events/demo/questions", nested_body(4));
    EXPECT_EQ(fits.status, 201u) << fits;
}

// Slowloris: the request line and headers arrive one byte at a time. The server closes the
// connection when the read timeout has passed, long before the request is complete, and
// answers nothing.
TEST_F(limits_test, a_request_dripping_in_slower_than_the_read_timeout_is_cut_off) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) {
        c.read_timeout = 300ms;
        c.idle_timeout = 30s;
    }));

    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
    // 400 bytes at one per 40 ms would take 16 s: 50 times the read timeout.
    std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " +
                          std::string(340, 's') + "\r\n\r\n";
    std::size_t sent = 0;
    beast::error_code ec;
    for (; sent < request.size(); ++sent) {
        net::write(s, net::buffer(&request[sent], 1), ec);
        if (ec) break;
        // A closed connection shows as readable (end of stream) before a write fails.
        s.non_blocking(true);
        char c;
        std::size_t n = s.read_some(net::buffer(&c, 1), ec);
        s.non_blocking(false);
        if (ec != net::error::would_block) {
            EXPECT_EQ(n, 0u) << "the server answered a request it never fully received";
            break;
        }
        ec = {};
        std::this_thread::sleep_for(40ms);
    }
    EXPECT_LT(sent, request.size()) << "the server waited for the whole slow request";
    // The server is fine for everybody else.
    EXPECT_EQ(get("/healthz").status, 200u);
}

TEST_F(limits_test, an_idle_keep_alive_connection_is_closed_after_the_idle_timeout) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.idle_timeout = 300ms; }));
    http_connection c(port());
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(c.request(http::verb::get, "/healthz").status, 200u);
    EXPECT_TRUE(c.closed_by_server());

    // A connection that never sends anything is closed the same way.
    http_connection silent(port());
    ASSERT_TRUE(silent.connected());
    EXPECT_TRUE(silent.closed_by_server());
}

TEST_F(limits_test, connections_beyond_the_maximum_get_503_and_are_closed) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_connections = 2; }));

    auto first = std::make_unique<http_connection>(port());
    http_connection second(port());
    ASSERT_TRUE(first->connected() && second.connected());
    // A request on each proves the server holds both as sessions.
    ASSERT_EQ(first->request(http::verb::get, "/healthz").status, 200u);
    ASSERT_EQ(second.request(http::verb::get, "/healthz").status, 200u);

    auto refused = get("/healthz");
    expect_error(refused, 503, "too_many_connections");
    EXPECT_EQ(refused.header("retry-after"), "1") << refused;
    EXPECT_EQ(refused.header("connection"), "close") << refused;

    // A slot freed is a slot available again.
    first.reset();
    bool served = false;
    for (int i = 0; i < 500 && !served; ++i) {
        served = get("/healthz").status == 200;
        if (!served) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(served) << "a closed connection's slot was never released";
}

TEST_F(limits_test, websocket_clients_count_towards_the_maximum) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.max_connections = 1; }));
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    expect_error(get("/healthz"), 503, "too_many_connections");
    ws->close();
    bool served = false;
    for (int i = 0; i < 500 && !served; ++i) {
        served = get("/healthz").status == 200;
        if (!served) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(served);
}

TEST_F(limits_test, a_websocket_message_over_the_default_limit_closes_the_stream) {
    ASSERT_NO_FATAL_FAILURE(start_default());
    ASSERT_EQ(current_config().ws_max_message_bytes, 4096u);
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    ASSERT_TRUE(ws->send_text(R"({"type":"ping","pad":")" + std::string(3000, 'p') + "\"}"));
    expect_silence(*ws);
    EXPECT_FALSE(ws->ended()) << "a message under the limit closed the stream";
    ASSERT_TRUE(ws->send_text(std::string(5000, 'x')));
    bool ended = false;
    for (int i = 0; i < 500 && !ended; ++i) {
        ended = ws->ended();
        if (!ended) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(ended) << "an oversized message did not close the stream";
}

// config::ws_max_message_bytes bounds a client's message (server/live/websocket_session.cpp).
TEST_F(limits_test, a_websocket_message_over_the_configured_limit_closes_the_stream) {
    ASSERT_NO_FATAL_FAILURE(start_with([](server::config& c) { c.ws_max_message_bytes = 1024; }));
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    ASSERT_TRUE(ws->send_text(std::string(2000, 'x')));
    bool ended = false;
    for (int i = 0; i < 500 && !ended; ++i) {
        ended = ws->ended();
        if (!ended) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(ended);
}

}  // namespace
}  // namespace tribune::test

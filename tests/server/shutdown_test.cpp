// Graceful stop (issue 5, "SIGTERM drains"): stop accepting, answer the requests in flight
// (a post after its commit), close WebSockets with "going away" (1001), and finish even
// while idle keep-alive connections stay open. The process-level SIGTERM test with the real
// binary is in crash_test.cpp.

#include <future>
#include <thread>
#include <vector>

#include "tests/server/gated_classifier.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;
using tcp = net::ip::tcp;

// A WebSocket client that reports how the server closed the connection.
class close_watcher {
public:
    bool connect(std::uint16_t port, const std::string& target, const std::string& token) {
        ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& r) {
            r.set(http::field::authorization, "Bearer " + token);
        }));
        beast::error_code ec;
        beast::get_lowest_layer(ws_).expires_after(5s);
        beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                                             ec);
        if (ec) return false;
        beast::get_lowest_layer(ws_).expires_never();
        ws_.handshake("127.0.0.1:" + std::to_string(port), target, ec);
        return !ec;
    }

    // Reads messages until the connection ends or `timeout` passes. Returns the number of
    // messages read; *closed_with receives the close code (0 when none arrived).
    int read_until_closed(std::chrono::milliseconds timeout, unsigned* closed_with) {
        int messages = 0;
        bool done = false;
        std::function<void()> read_one = [&] {
            ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
                if (ec) {
                    done = true;
                    return;
                }
                ++messages;
                buffer_.consume(buffer_.size());
                read_one();
            });
        };
        read_one();
        ioc_.run_for(timeout);
        if (!done) {
            beast::get_lowest_layer(ws_).cancel();
            ioc_.restart();
            ioc_.run_for(1s);
        }
        *closed_with = done ? static_cast<unsigned>(ws_.reason().code) : 0;
        return messages;
    }

    // One message (the snapshot), within `timeout`.
    bool read_one(std::chrono::milliseconds timeout) {
        bool got = false;
        ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) { got = !ec; });
        ioc_.run_for(timeout);
        ioc_.restart();
        buffer_.consume(buffer_.size());
        return got;
    }

private:
    net::io_context ioc_;
    websocket::stream<beast::tcp_stream> ws_{ioc_};
    beast::flat_buffer buffer_;
};

class shutdown_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }
    void TearDown() override {
        gate_->open();
        server_test::TearDown();
    }
    std::shared_ptr<classifier_gate> gate_ = std::make_shared<classifier_gate>();
};

TEST_F(shutdown_test, stop_answers_posts_in_flight_closes_streams_going_away_and_keeps_them) {
    auto cfg = default_config();
    cfg.scoring_workers = 1;
    cfg.threads = 4;
    ASSERT_NO_FATAL_FAILURE(start(cfg, std::make_unique<gated_classifier>(gate_)));
    const std::uint16_t p = port();

    close_watcher dashboard;
    ASSERT_TRUE(dashboard.connect(p, "/api/v1/events/demo/stream", admin_token()));
    ASSERT_TRUE(dashboard.read_one(5s)) << "no snapshot";

    // An idle keep-alive connection must not hold the stop up.
    http_connection idle(p);
    ASSERT_TRUE(idle.connected());
    ASSERT_EQ(idle.request(http::verb::get, "/healthz").status, 200u);

    constexpr int n = 6;
    std::vector<std::future<http_response>> posts;
    const header_list auth = bearer(admin_token());
    for (int i = 0; i < n; ++i)
        posts.push_back(std::async(std::launch::async, [p, i, auth] {
            return http_call(p, http::verb::post, "/api/v1/events/demo/questions",
                             json{{"text", "In flight at shutdown " + std::to_string(i) + "?"}}.dump(),
                             auth);
        }));
    ASSERT_TRUE(gate_->wait_entered(1, 10s)) << "no post reached the classifier";
    // Every post must be read and queued before the stop begins; the queue depth says so.
    for (int i = 0; i < 400; ++i) {
        auto h = get("/healthz");
        if (h.status == 200 && h.body.value("queue_depth", 0) >= n - 1) break;
        std::this_thread::sleep_for(10ms);
    }

    // The dashboard keeps reading, as a browser does, so it answers the close handshake.
    unsigned code = 0;
    auto dashboard_done = std::async(std::launch::async,
                                     [&] { return dashboard.read_until_closed(60s, &code); });
    auto stopping = std::async(std::launch::async, [this] { app_->stop(); });
    // New connections are refused once the acceptor closed.
    bool refused = false;
    for (int i = 0; i < 500 && !refused; ++i) {
        auto r = http_call(p, http::verb::get, "/healthz", {}, {}, 2s);
        refused = static_cast<bool>(r.error);
        if (!refused) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(refused) << "the server still accepts connections while stopping";
    EXPECT_EQ(stopping.wait_for(0s), std::future_status::timeout)
        << "stop() returned while posts were still waiting for the classifier";

    gate_->open();
    std::vector<std::int64_t> ids;
    for (auto& f : posts) {
        auto r = f.get();
        EXPECT_EQ(r.status, 201u) << r;
        if (r.status == 201) ids.push_back(id_of(r.body));
    }
    ASSERT_EQ(stopping.wait_for(60s), std::future_status::ready) << "stop() did not return";

    dashboard_done.wait();
    EXPECT_EQ(code, static_cast<unsigned>(websocket::close_code::going_away));

    // Restart on the same database: every answered post is stored. Destroying the stopped
    // app closes the idle connection.
    app_.reset();
    EXPECT_TRUE(idle.closed_by_server());
    ASSERT_NO_FATAL_FAILURE(start_default());
    for (std::int64_t id : ids) {
        auto q = get_question(id);
        EXPECT_EQ(id_of(q), id);
    }
}

TEST_F(shutdown_test, answers_during_the_drain_close_the_connection) {
    auto cfg = default_config();
    cfg.scoring_workers = 1;
    ASSERT_NO_FATAL_FAILURE(start(cfg, std::make_unique<gated_classifier>(gate_)));

    http_connection c(port());
    ASSERT_TRUE(c.connected());
    ASSERT_FALSE(c.send(http::verb::post, "/api/v1/events/demo/questions",
                        json{{"text", "Answered while draining?"}}.dump(), bearer(admin_token())));
    ASSERT_TRUE(gate_->wait_entered(1, 10s));
    auto stopping = std::async(std::launch::async, [this] { app_->stop(); });
    // Draining has begun once new connections are refused.
    bool refused = false;
    for (int i = 0; i < 500 && !refused; ++i) {
        refused = static_cast<bool>(http_call(port(), http::verb::get, "/healthz", {}, {}, 2s).error);
        if (!refused) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(refused);
    gate_->open();
    auto r = c.receive();
    EXPECT_EQ(r.status, 201u) << r;
    EXPECT_EQ(r.header("connection"), "close") << r;
    EXPECT_TRUE(c.closed_by_server());
    ASSERT_EQ(stopping.wait_for(60s), std::future_status::ready);
}

}  // namespace
}  // namespace tribune::test

// Connection handling and data fidelity: keep-alive and pipelining, exact round trips of
// awkward texts through every read path, and a slow stream consumer being dropped without
// hurting the others (docs/api.md "Live stream": bounded send queue).

#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;
using robustness_test = server_test;

TEST_F(robustness_test, several_requests_on_one_keep_alive_connection) {
    http_connection c(port());
    ASSERT_TRUE(c.connected());
    const header_list auth = bearer(admin_token());
    const std::string questions = "/api/v1/events/demo/questions";
    auto h = c.request(http::verb::get, "/healthz", {}, auth);
    ASSERT_EQ(h.status, 200u) << h;
    auto bad = c.request(http::verb::post, questions, "{broken", auth);
    expect_error(bad, 400, "invalid_json");
    auto created = c.request(http::verb::post, questions, json{{"text", clean_text}}.dump(), auth);
    ASSERT_EQ(created.status, 201u) << created;
    auto again = c.request(http::verb::get,
                           "/api/v1/questions/" + std::to_string(id_of(created.body)), {}, auth);
    ASSERT_EQ(again.status, 200u) << again;
    EXPECT_EQ(again.body["text"], clean_text);
}

TEST_F(robustness_test, pipelined_requests_are_answered_in_order) {
    http_connection c(port());
    ASSERT_TRUE(c.connected());
    ASSERT_FALSE(c.send(http::verb::post, "/api/v1/events/demo/questions",
                        json{{"text", "Pipelined one?"}}.dump(), bearer(admin_token())));
    ASSERT_FALSE(c.send(http::verb::get, "/api/v1/events/nope", {}, bearer(admin_token())));
    ASSERT_FALSE(c.send(http::verb::post, "/api/v1/events/demo/questions",
                        json{{"text", "Pipelined two?"}}.dump(), bearer(admin_token())));
    ASSERT_FALSE(c.send(http::verb::get, "/healthz", {}, bearer(admin_token())));
    auto r1 = c.receive();
    auto r2 = c.receive();
    auto r3 = c.receive();
    auto r4 = c.receive();
    EXPECT_EQ(r1.status, 201u) << r1;
    EXPECT_EQ(r1.body.value("text", ""), "Pipelined one?") << r1;
    expect_error(r2, 404, "event_not_found");
    EXPECT_EQ(r3.status, 201u) << r3;
    EXPECT_EQ(r3.body.value("text", ""), "Pipelined two?") << r3;
    EXPECT_EQ(r4.status, 200u) << r4;
    EXPECT_EQ(r4.body.value("status", ""), "ok") << r4;
}

// Every read path returns exactly what the 201 answered, and the text exactly as sent.
TEST_F(robustness_test, awkward_texts_round_trip_exactly_through_every_read_path) {
    const std::vector<std::string> texts = {
        "Quote \" backslash \\ tab \t newline \n and slash / end?",
        std::string("NUL \0 inside?", 13),
        "Emoji \xF0\x9F\x98\x80, Arabic \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7, combining "
        "e\xCC\x81, CJK \xE4\xB8\xAD\xE6\x96\x87?",
        "<img src=x onerror=\"document.title='pwned'\"> &amp; <script>alert(1)</script>",
        "Separators \xE2\x80\xA8 and \xE2\x80\xA9 and BOM \xEF\xBB\xBF inside?",
        "\xC3\x89lu idiot? caf\xC3\xA9 stupid!",
    };
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);

    for (const std::string& text : texts) {
        SCOPED_TRACE(json(text).dump());
        auto r = post("/api/v1/events/demo/questions",
                      {{"text", text}, {"author", "\xC3\xA9milie \"the\" <b>"}});
        ASSERT_EQ(r.status, 201u) << r;
        EXPECT_EQ(r.body["text"].get<std::string>(), text);
        EXPECT_EQ(r.body["author"], "\xC3\xA9milie \"the\" <b>");
        const std::int64_t id = id_of(r.body);

        json by_id = get_question(id);
        EXPECT_EQ(by_id, r.body) << "GET /questions/{id} differs from the 201 body";

        json m = read_change(*ws);
        EXPECT_EQ(m["question"], r.body) << "the broadcast differs from the 201 body";

        auto list = get("/api/v1/events/demo/questions?limit=1");
        ASSERT_EQ(list.status, 200u) << list;
        ASSERT_EQ(list.body["items"].size(), 1u) << list;
        EXPECT_EQ(list.body["items"][0], r.body) << "the listed item differs from the 201 body";
    }
}

TEST_F(robustness_test, external_id_without_source_is_idempotent_too) {
    const json body = {{"text", clean_text}, {"external_id", "no-source-1"}};
    json first = post_question("demo", body, 201);
    json second = post_question("demo", body, 200);
    EXPECT_EQ(id_of(second), id_of(first));
    EXPECT_TRUE(second["source"].is_null()) << second.dump();
    EXPECT_EQ(list_all("demo").size(), 1u);
}

TEST_F(robustness_test, a_decision_that_changes_nothing_keeps_the_version_and_broadcasts_nothing) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    json q = post_text("demo", clean_text);
    ASSERT_EQ(q["status"], "approved");
    read_changes(*ws, 1);
    json same = decide(id_of(q), "approve", "alice");
    EXPECT_EQ(same["status"], "approved");
    EXPECT_EQ(same["version"], q["version"]) << "version changes only with the status";
    expect_silence(*ws);
}

TEST_F(robustness_test, text_of_unicode_whitespace_only_is_blank) {
    // What String.prototype.trim() in the dashboard would reduce to "".
    for (const char* blank : {"\xC2\xA0", "\xE3\x80\x80", " \xE2\x80\x83 \n\xC2\xA0 ",
                              "\xE2\x80\xA8\xE2\x80\xA9", "\xEF\xBB\xBF"}) {
        auto r = post("/api/v1/events/demo/questions", {{"text", blank}});
        expect_error(r, 400, "text_required");
    }
    EXPECT_TRUE(list_all("demo").empty());
}

// A client that stops reading is cut off once its queue is full; the others get every
// message, and what the slow client did receive has no gap.
TEST_F(robustness_test, a_stalled_stream_client_is_disconnected_and_the_others_keep_up) {
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) { c.ws_send_queue_limit = 8; }));

    // The stalled client: a tiny receive buffer, and nobody reads.
    net::io_context ioc;
    net::ip::tcp::socket sock(ioc);
    sock.open(net::ip::tcp::v4());
    sock.set_option(net::socket_base::receive_buffer_size(4096));
    websocket::stream<beast::tcp_stream> stalled(std::move(sock));
    const std::string authorization = "Bearer " + admin_token();
    stalled.set_option(websocket::stream_base::decorator(
        [authorization](websocket::request_type& req) {
            req.set(http::field::authorization, authorization);
        }));
    {
        beast::error_code result;
        auto& tcp = beast::get_lowest_layer(stalled);
        tcp.expires_after(5s);
        tcp.async_connect({net::ip::make_address("127.0.0.1"), port()},
                          [&](beast::error_code ec) {
                              if (ec) {
                                  result = ec;
                                  return;
                              }
                              stalled.async_handshake("127.0.0.1", "/api/v1/events/demo/stream",
                                                      [&](beast::error_code h) { result = h; });
                          });
        ioc.run();
        ASSERT_FALSE(result) << result.message();
    }
    auto fast = open_snapshot("demo");
    ASSERT_TRUE(fast);
    const json& snap = fast.snapshot;
    const auto seq0 = snap["seq"].get<std::int64_t>();

    // ~8 KB per message, well past what the kernel buffers hold for the stalled client.
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "\xF0\x9F\x98\x80";
    constexpr int posts = 800;
    constexpr int posters = 4;
    std::atomic<int> created{0};
    std::atomic<int> received{0};  // by the fast client
    std::atomic<bool> stuck{false};
    std::mutex failure_mutex;
    std::string failure;
    std::vector<std::jthread> threads;
    for (int t = 0; t < posters; ++t)
        threads.emplace_back([&] {
            const header_list auth = bearer(admin_token());
            for (int i = 0; i < posts / posters && !stuck.load(); ++i) {
                // The fast client must be fast: posting waits while it is more than 64
                // changes (512 KB) behind, a quarter of the send queue's byte cap (2 MB), so
                // a loaded machine (CI runs two test programs at once) cannot make it the
                // slow one. The stalled client never reads, so it still passes the cap.
                for (int w = 0; w < 10'000 && created.load() - received.load() > 64 && !stuck.load(); ++w)
                    std::this_thread::sleep_for(1ms);
                // A server that stops answering must fail the test, not hang it for
                // 200 x the default timeout.
                auto r = http_call(port(), http::verb::post, "/api/v1/events/demo/questions",
                                   json{{"text", text}}.dump(), auth, 10s);
                if (r.status == 201) {
                    ++created;
                } else {
                    std::lock_guard lock(failure_mutex);
                    if (failure.empty()) {
                        std::ostringstream os;
                        os << r;
                        failure = os.str();
                    }
                    stuck = true;
                }
            }
        });

    // The fast client receives every change, in order.
    for (int i = 0; i < posts && !stuck.load(); ++i) {
        auto m = fast->read_json(10s);
        if (!m) break;
        if ((*m)["seq"].get<std::int64_t>() != seq0 + i + 1) {
            ADD_FAILURE() << "fast client: message " << i << " has seq " << (*m)["seq"];
            break;
        }
        ++received;
    }
    threads.clear();  // joins
    ASSERT_EQ(created.load(), posts) << "a post failed while a stream client was stalled: "
                                     << failure;
    EXPECT_EQ(received.load(), posts);
    EXPECT_FALSE(fast->ended());

    // The stalled client now drains its buffers: a snapshot, then contiguous changes, then
    // the end of the connection, well before all 800 changes.
    int got = 0;
    std::int64_t expect_seq = -1;
    bool gap = false;
    beast::error_code end;
    beast::flat_buffer buffer;
    auto& tcp = beast::get_lowest_layer(stalled);
    for (;;) {
        ioc.restart();
        tcp.expires_after(10s);
        beast::error_code ec;
        stalled.async_read(buffer, [&](beast::error_code e, std::size_t) { ec = e; });
        ioc.run();
        if (ec) {
            end = ec;
            break;
        }
        json m = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
        buffer.consume(buffer.size());
        if (m.value("type", "") == "snapshot") {
            expect_seq = m["seq"].get<std::int64_t>() + 1;
            continue;
        }
        if (m["seq"].get<std::int64_t>() != expect_seq) gap = true;
        ++expect_seq;
        ++got;
    }
    RecordProperty("stalled_client_received", got);
    std::fprintf(stderr, "stalled client received %d of %d changes before the cut (%s)\n", got,
                 posts, end.message().c_str());
    EXPECT_NE(end, beast::error::timeout) << "the stalled client was never disconnected";
    EXPECT_LT(got, posts) << "the stalled client was not cut off";
    EXPECT_FALSE(gap) << "the stalled client received a gap instead of being disconnected";

    // Only the fast client is still counted.
    std::string metrics;
    for (int i = 0; i < 40; ++i) {
        metrics = get("/metrics").raw;
        if (metrics.find("\ntribune_websocket_clients 1\n") != std::string::npos) break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_NE(metrics.find("\ntribune_websocket_clients 1\n"), std::string::npos) << metrics;
    EXPECT_EQ(get("/healthz").status, 200u);
}

}  // namespace
}  // namespace tribune::test

// The social bridges (issue 16) end to end: the real server in-process, and local fakes of a
// Mastodon instance and a Jetstream endpoint over TLS with a test certificate the server is
// told to trust (tests/server/fake_social.hpp). No test reaches the internet.

#include <algorithm>
#include <set>

#include "tests/server/fake_social.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class BridgesTest : public server_test {
protected:
    bool start_in_setup() const override { return false; }

    void SetUp() override {
        server_test::SetUp();
        cert_ = self_signed_certificate(temp_dir());
        ASSERT_FALSE(cert_.cert.empty());
        start_with([this](server::config& c) { configure(c); });
        social_ = fake_social::start(cert_);
        ASSERT_TRUE(social_);
    }

    void configure(server::config& c) const {
        c.bridge_ca_file = cert_.cert.string();
        c.bridge_retry_base = std::chrono::milliseconds(50);
        c.bridge_retry_max = std::chrono::milliseconds(400);
        c.bridge_poll_interval = std::chrono::milliseconds(100);
        c.bridge_rewind = std::chrono::milliseconds(2);  // 2,000 us
    }

    void restart() {
        restart_with([this](server::config& c) { configure(c); });
    }

    json add_source(const json& body) {
        auto r = call(http::verb::post, "/api/v1/events/demo/sources", body.dump(),
                      {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 201u) << r;
        return r.body;
    }

    json mastodon_source() {
        return add_source({{"kind", "mastodon"}, {"instance", social_->base_url()}, {"tag", "#TownHall"},
                           {"access_token", "secret-token-1"}});
    }

    json source_status(std::int64_t id) {
        auto r = get("/api/v1/events/demo/sources/" + std::to_string(id));
        EXPECT_EQ(r.status, 200u) << r;
        return r.body;
    }

    // Waits until the event holds `n` questions; returns them (fewer after 20 s).
    std::vector<json> wait_questions(std::size_t n) {
        std::vector<json> qs;
        social_->wait_until([&] {
            qs = list_all("demo");
            return qs.size() >= n;
        });
        return qs;
    }

    static std::multiset<std::string> external_ids(const std::vector<json>& qs) {
        std::multiset<std::string> out;
        for (const json& q : qs) out.insert(q.value("external_id", ""));
        return out;
    }

    certificate_files cert_;
    std::unique_ptr<fake_social> social_;
};

TEST_F(BridgesTest, MastodonBackfillThenWebSocketPostsArriveAsQuestions) {
    social_->add_status(101, "ana", "<p>What will <a href=\"https://x/tags/TownHall\" class=\"mention hashtag\">#<span>TownHall</span></a> cost&#39;s be?</p>");
    social_->add_status(102, "ben@other.example", "<p>Line one<br>line two</p>");
    json src = mastodon_source();
    ASSERT_TRUE(src.contains("id"));
    EXPECT_EQ(src["has_access_token"], true);
    EXPECT_FALSE(src.dump().find("secret-token-1") != std::string::npos) << "the token is never shown";

    auto qs = wait_questions(2);
    ASSERT_EQ(qs.size(), 2u);
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->publish_status(103, "cy", "<p>And the fees?</p>");
    qs = wait_questions(3);
    ASSERT_EQ(qs.size(), 3u);
    const std::string source = "mastodon:127.0.0.1:" + std::to_string(social_->port());
    std::map<std::string, json> by_id;
    for (const json& q : qs) by_id[q["external_id"]] = q;
    EXPECT_EQ(by_id["101"]["text"], "What will #TownHall cost's be?");
    EXPECT_EQ(by_id["101"]["author"], "ana");
    EXPECT_EQ(by_id["101"]["source"], source);
    EXPECT_EQ(by_id["102"]["text"], "Line one\nline two");
    EXPECT_EQ(by_id["102"]["author"], "ben@other.example");
    EXPECT_EQ(by_id["103"]["text"], "And the fees?");

    const auto targets = social_->targets();
    EXPECT_TRUE(std::count(targets.begin(), targets.end(), "/api/v1/streaming?stream=hashtag&tag=TownHall"));
    EXPECT_TRUE(std::count(targets.begin(), targets.end(), "/api/v1/timelines/tag/TownHall?limit=40"));
    for (const std::string& a : social_->authorizations()) EXPECT_EQ(a, "Bearer secret-token-1");

    json st;
    ASSERT_TRUE(social_->wait_until([&] {
        st = source_status(src["id"]);
        return st["cursor"] == "103" && st["status"]["posts"] == 3;
    })) << st;
    EXPECT_EQ(st["status"]["state"], "connected") << st;
    EXPECT_EQ(st["status"]["transport"], "websocket");

    auto metrics = get("/metrics");
    EXPECT_NE(metrics.raw.find("tribune_bridge_posts_total{source=\"" + std::to_string(src["id"].get<int>()) + "\"} 3"),
              std::string::npos)
        << metrics.raw;
}

TEST_F(BridgesTest, MastodonDropResumesFromSinceIdWithoutGapOrDuplicate) {
    social_->add_status(201, "ana", "<p>first?</p>");
    json src = mastodon_source();
    ASSERT_EQ(wait_questions(1).size(), 1u);
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->publish_status(202, "ana", "<p>second?</p>");
    ASSERT_EQ(wait_questions(2).size(), 2u);
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == "202"; }));
    // The stream drops; two posts come while the bridge is away (the stream misses them).
    social_->drop_streams();
    social_->add_status(203, "ben", "<p>third?</p>");
    social_->add_status(204, "ben", "<p>fourth?</p>");
    auto qs = wait_questions(4);
    ASSERT_EQ(qs.size(), 4u);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"201", "202", "203", "204"}));
    const auto targets = social_->targets();
    EXPECT_TRUE(std::count(targets.begin(), targets.end(),
                           "/api/v1/timelines/tag/TownHall?limit=40&since_id=202"))
        << "the backfill after the drop starts from the last post";
    // The stream is back: a post published now arrives once, though the backfill overlaps.
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->publish_status(205, "cy", "<p>fifth?</p>");
    qs = wait_questions(5);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"201", "202", "203", "204", "205"}));
    EXPECT_GE(source_status(src["id"])["status"]["errors"].get<int>(), 1);
}

TEST_F(BridgesTest, MastodonFallsBackToServerSentEvents) {
    social_->set_websocket(false);
    json src = mastodon_source();
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->publish_status(301, "ana", "<p>over &amp; out?</p>");
    social_->publish_status(302, "ben", "<p>again?</p>");
    auto qs = wait_questions(2);
    ASSERT_EQ(qs.size(), 2u);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"301", "302"}));
    json st = source_status(src["id"]);
    EXPECT_EQ(st["status"]["transport"], "sse") << st;
}

TEST_F(BridgesTest, MalformedMessageIsSkippedAndTheSourceGoesOn) {
    json src = mastodon_source();
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->push_raw("this is not JSON");
    social_->push_raw(R"({"event":"update","payload":"{\"id\":\"1\"}"})");
    social_->publish_status(401, "ana", "<p>still here?</p>");
    auto qs = wait_questions(1);
    ASSERT_EQ(qs.size(), 1u);
    EXPECT_EQ(qs[0]["external_id"], "401");
    // The post may come first through the catch-up (the timeline has it too): wait for both skips.
    json st;
    ASSERT_TRUE(social_->wait_until([&] {
        st = source_status(src["id"]);
        return st["status"]["skipped"] == 2;
    })) << st;
    EXPECT_EQ(st["status"]["errors"], 0) << "a malformed message does not drop the stream";
    EXPECT_EQ(st["status"]["state"], "connected");
}

TEST_F(BridgesTest, SourceThatCannotConnectShowsFailingAndBacksOff) {
    json src = add_source({{"kind", "mastodon"}, {"instance", "https://127.0.0.1:" + std::to_string(dead_port())},
                           {"tag", "townhall"}});
    json st;
    ASSERT_TRUE(social_->wait_until([&] {
        st = source_status(src["id"]);
        return st["status"]["consecutive_failures"].get<int>() >= 3;
    })) << st;
    EXPECT_EQ(st["status"]["state"], "backing_off") << st;
    EXPECT_FALSE(st["status"]["last_error"].is_null());
    EXPECT_FALSE(st["status"]["next_attempt_at"].is_null());
}

TEST_F(BridgesTest, PauseStopsIntakeAndResumeCatchesUpFromTheCursor) {
    social_->add_status(501, "ana", "<p>before the pause?</p>");
    json src = mastodon_source();
    const std::string path = "/api/v1/events/demo/sources/" + std::to_string(src["id"].get<int>());
    ASSERT_EQ(wait_questions(1).size(), 1u);
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == "501"; }));
    auto paused = call(http::verb::post, path + "/pause");
    ASSERT_EQ(paused.status, 200u) << paused;
    EXPECT_EQ(paused.body["paused"], true);
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 0; }))
        << "a paused source closes its stream";
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["status"]["state"] == "idle"; }));
    social_->publish_status(502, "ben", "<p>during the pause?</p>");  // nobody listens
    EXPECT_EQ(list_all("demo").size(), 1u);
    auto resumed = call(http::verb::post, path + "/resume");
    ASSERT_EQ(resumed.status, 200u) << resumed;
    auto qs = wait_questions(2);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"501", "502"}));
}

TEST_F(BridgesTest, JetstreamKeepsTaggedPostsAndResumesAfterARestartFromTheCursor) {
    const std::int64_t t0 = 1'765'000'000'000'000;
    const auto at = [t0](int k) { return t0 + k * 1'000'000; };  // a second apart
    social_->publish_event(at(1), fake_social::jetstream_post(at(1), "did:plc:ana", "3k1", "With a facet", {"TownHall"}));
    social_->publish_event(at(2), fake_social::jetstream_post(at(2), "did:plc:ben", "3k2", "Other topic", {"cats"}));
    social_->publish_event(at(3), fake_social::jetstream_post(at(3), "did:plc:cy", "3k3", "In text #townhall?", {}));
    json src = add_source({{"kind", "bluesky"}, {"tag", "TownHall"}, {"jetstream", social_->jetstream_url()}});
    EXPECT_EQ(src["jetstream"], social_->jetstream_url());
    // The first start has no cursor: only what is published from now on.
    ASSERT_TRUE(social_->wait_until([&] { return social_->jetstream_streams() == 1; }));
    social_->push_jetstream_raw("{broken");
    social_->publish_event(at(4), fake_social::jetstream_post(at(4), "did:plc:ana", "3k4", "Live #TownHall q?", {}));
    auto qs = wait_questions(1);
    ASSERT_EQ(qs.size(), 1u);
    EXPECT_EQ(qs[0]["source"], "bluesky");
    EXPECT_EQ(qs[0]["external_id"], "at://did:plc:ana/app.bsky.feed.post/3k4");
    EXPECT_EQ(qs[0]["author"], "did:plc:ana");
    EXPECT_EQ(qs[0]["text"], "Live #TownHall q?");
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == std::to_string(at(4)); }));

    // Down: events keep coming; after the restart the bridge resumes from its stored cursor,
    // rewound (2 ms here), so the overlap replays the last post (stored once) and nothing is missed.
    stop();
    social_->drop_streams();
    social_->publish_event(at(5), fake_social::jetstream_post(at(5), "did:plc:ben", "3k5", "While down", {"townhall"}));
    social_->publish_event(at(6), fake_social::jetstream_post(at(6), "did:plc:ben", "3k6", "Not ours", {"dogs"}));
    restart();
    qs = wait_questions(2);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"at://did:plc:ana/app.bsky.feed.post/3k4",
                                                             "at://did:plc:ben/app.bsky.feed.post/3k5"}));
    const auto targets = social_->targets();
    EXPECT_TRUE(std::count(targets.begin(), targets.end(),
                           "/subscribe?wantedCollections=app.bsky.feed.post&cursor=" + std::to_string(at(4) - 2000)))
        << "resumed from the stored cursor, rewound";
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == std::to_string(at(6)); }));
}

TEST_F(BridgesTest, AFloodOfFiveThousandPostsIsIngestedOnceEach) {
    json src = add_source({{"kind", "bluesky"}, {"tag", "flood"}, {"jetstream", social_->jetstream_url()}});
    ASSERT_TRUE(social_->wait_until([&] { return social_->jetstream_streams() == 1; }));
    const std::int64_t t0 = 1'765'000'100'000'000;
    constexpr int n = 5000;
    for (int i = 0; i < n; ++i)
        social_->publish_event(t0 + i, fake_social::jetstream_post(t0 + i, "did:plc:crowd" + std::to_string(i % 50),
                                                                  "f" + std::to_string(i),
                                                                  "Question number " + std::to_string(i) + " #flood", {}));
    json st;
    ASSERT_TRUE(social_->wait_until([&] {
        st = source_status(src["id"]);
        return st["status"]["posts"].get<int>() + st["status"]["skipped"].get<int>() >= n;
    })) << st;
    EXPECT_EQ(st["status"]["posts"], n) << st;
    std::size_t stored = list_all("demo", "limit=500").size();
    EXPECT_EQ(stored, static_cast<std::size_t>(n));
}

TEST_F(BridgesTest, SourcesApiRefusesBadInputWithJsonErrors) {
    auto post = [&](const std::string& body, const std::string& event = "demo") {
        return call(http::verb::post, "/api/v1/events/" + event + "/sources", body, {{"Content-Type", "application/json"}});
    };
    expect_error(post(R"({"kind":"myspace","tag":"x"})"), 400, "invalid_field");
    expect_error(post(R"({"kind":"mastodon","tag":"x"})"), 400, "invalid_field");
    expect_error(post(R"({"kind":"mastodon","instance":"https://m.example","tag":"x","colour":1})"), 400,
                 "invalid_field");
    expect_error(post(R"({"kind":"mastodon","instance":"ftp://m.example","tag":"x"})"), 400, "invalid_url");
    expect_error(post(R"({"kind":"mastodon","instance":"https://m.example","tag":"two words"})"), 400, "invalid_tag");
    expect_error(post(R"({"kind":"bluesky","tag":"x","access_token":"t"})"), 400, "invalid_field");
    expect_error(post(R"({"kind":"bluesky","tag":"x"})", "nope"), 404, "event_not_found");
    expect_error(post("[1]"), 400, "invalid_json");
    expect_error(call(http::verb::get, "/api/v1/events/demo/sources/999"), 404, "source_not_found");
    expect_error(call(http::verb::post, "/api/v1/events/demo/sources/abc/pause"), 404, "source_not_found");
    const std::string mod = token_for("moderator", "mia", "demo");
    expect_error(call(http::verb::get, "/api/v1/events/demo/sources", "", bearer(mod)), 403, "forbidden");

    json b = add_source({{"kind", "bluesky"}, {"tag", "x"}});
    EXPECT_EQ(b["jetstream"], "wss://jetstream2.us-east.bsky.network/subscribe");
    create_event("other", false);
    const std::string in_other = "/api/v1/events/other/sources/" + std::to_string(b["id"].get<int>());
    expect_error(call(http::verb::delete_, in_other), 404, "source_not_found");
    auto listed = get("/api/v1/events/demo/sources");
    ASSERT_EQ(listed.status, 200u);
    ASSERT_EQ(listed.body["items"].size(), 1u);
    auto del = call(http::verb::delete_, "/api/v1/events/demo/sources/" + std::to_string(b["id"].get<int>()));
    EXPECT_EQ(del.status, 200u) << del;
    EXPECT_EQ(get("/api/v1/events/demo/sources").body["items"].size(), 0u);
}

}  // namespace
}  // namespace tribune::test

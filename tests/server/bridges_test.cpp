// The social bridges (issue 16) end to end: the real server in-process, and local fakes of a
// Mastodon instance and a Jetstream endpoint over TLS with a test certificate the server is
// told to trust (tests/server/fake_social.hpp). No test reaches the internet.

#include <algorithm>
#include <set>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "tests/server/fake_social.hpp"
#include "tests/server/test_server.hpp"
#include "tests/server/tribune_process.hpp"

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
    for (const char* id : {"101", "102", "103"}) {
        EXPECT_EQ(by_id[id]["created_at"], "2024-05-01T10:00:00.000Z") << "the status's own time, not its arrival";
        EXPECT_EQ(by_id[id]["origin_url"], "https://social.example/@" + by_id[id]["author"].get<std::string>() + "/" + id)
            << "the status's own url";
    }

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
    const std::string label = "{source=\"" + std::to_string(src["id"].get<int>()) + "\"} ";
    for (const std::string& line : {"tribune_bridge_posts_total" + label + "3", "tribune_bridge_connected" + label + "1",
                                    "tribune_bridge_posts_last_minute" + label + "3",
                                    "tribune_bridge_errors_total" + label + "0"})
        EXPECT_NE(metrics.raw.find(line), std::string::npos) << line << " in " << metrics.raw;
}

TEST_F(BridgesTest, MastodonDropResumesFromSinceIdWithoutGapOrDuplicate) {
    // Everything the bridge logs meanwhile (stderr) is read at the end: the token is never in it.
    testing::internal::CaptureStderr();
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
    stop();
    const std::string logs = testing::internal::GetCapturedStderr();
    const std::string name = "bridge " + std::to_string(src["id"].get<int>()) + " (mastodon:127.0.0.1:";
    EXPECT_NE(logs.find(name), std::string::npos) << "the bridge logged: " << logs;
    EXPECT_NE(logs.find("retrying"), std::string::npos) << logs;
    EXPECT_EQ(logs.find("secret-token-1"), std::string::npos) << "a token in the logs: " << logs;
    for (const std::string& a : social_->authorizations()) EXPECT_EQ(a, "Bearer secret-token-1");
}

TEST_F(BridgesTest, MastodonBackfillsWhatWasPostedWhileTribuneWasDown) {
    social_->add_status(601, "ana", "<p>before?</p>");
    json src = mastodon_source();
    ASSERT_EQ(wait_questions(1).size(), 1u);
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == "601"; }));
    stop();
    social_->drop_streams();
    social_->add_status(602, "ben", "<p>while down?</p>");
    social_->add_status(603, "cy", "<p>also while down?</p>");
    restart();
    auto qs = wait_questions(3);
    EXPECT_EQ(external_ids(qs), (std::multiset<std::string>{"601", "602", "603"}));
    const auto targets = social_->targets();
    EXPECT_TRUE(std::count(targets.begin(), targets.end(), "/api/v1/timelines/tag/TownHall?limit=40&since_id=601"))
        << "the first backfill after the restart starts from the stored cursor";
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["cursor"] == "603"; }));
}

TEST_F(BridgesTest, BridgeTestCommandPrintsWhatASourceWouldIngestAndStoresNothing) {
    // A stored source (its token in the database), paused so that only the command reads it.
    json src = add_source({{"kind", "mastodon"}, {"instance", social_->base_url()}, {"tag", "TownHall"},
                           {"access_token", "secret-token-9"}});
    const std::string path = "/api/v1/events/demo/sources/" + std::to_string(src["id"].get<int>());
    ASSERT_EQ(call(http::verb::post, path + "/pause").status, 200u);
    ASSERT_TRUE(social_->wait_until([&] { return source_status(src["id"])["status"]["state"] == "idle"; }));
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 0; }));
    social_->add_status(701, "ana", "<p>one?</p>");
    social_->add_status(702, "ben@other.example", "<p>two?</p>");
    const std::size_t stored_before = list_all("demo").size();
    std::string error;
    auto cli = tribune_process::start({"bridge", "test", "--source", std::to_string(src["id"].get<int>()), "--db",
                                       (temp_dir() / "tribune.db").string(), "--migrations",
                                       std::string(TRIBUNE_SOURCE_DIR) + "/migrations", "--ca-file",
                                       cert_.cert.string(), "--posts", "3", "--seconds", "60"},
                                      &error);
    ASSERT_TRUE(cli) << error;
    ASSERT_TRUE(social_->wait_until([&] { return social_->mastodon_streams() == 1; }));
    social_->publish_status(703, "cy", "<p>three?</p>");
    const auto code = cli->wait(std::chrono::seconds(30));
    ASSERT_TRUE(code) << cli->output();
    EXPECT_EQ(*code, 0) << cli->output();
    std::map<std::string, json> printed;
    std::istringstream lines(cli->output());
    for (std::string line; std::getline(lines, line);) {
        json j = json::parse(line, nullptr, false);
        if (j.is_object()) printed[j.value("external_id", "")] = j;
    }
    ASSERT_EQ(printed.size(), 3u) << cli->output();
    const std::string source = "mastodon:127.0.0.1:" + std::to_string(social_->port());
    EXPECT_EQ(printed["701"]["text"], "one?");
    EXPECT_EQ(printed["702"]["author"], "ben@other.example");
    EXPECT_EQ(printed["703"]["source"], source);
    EXPECT_EQ(printed["703"]["url"], "https://social.example/@cy/703");
    EXPECT_EQ(printed["703"]["posted_at"], "2024-05-01T10:00:00.000Z");
    EXPECT_NE(cli->output().find("connected (websocket)"), std::string::npos) << "its log on stderr";
    EXPECT_EQ(cli->output().find("secret-token-9"), std::string::npos) << cli->output();
    for (const std::string& a : social_->authorizations()) EXPECT_EQ(a, "Bearer secret-token-9");
    EXPECT_EQ(list_all("demo").size(), stored_before) << "the command stores nothing";
    EXPECT_EQ(source_status(src["id"])["cursor"], nullptr) << "nor moves the source's cursor";
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
    const std::string label = "{source=\"" + std::to_string(src["id"].get<int>()) + "\"} ";
    auto metrics = get("/metrics");
    EXPECT_NE(metrics.raw.find("tribune_bridge_connected" + label + "0"), std::string::npos) << metrics.raw;
    EXPECT_EQ(metrics.raw.find("tribune_bridge_errors_total" + label + "0\n"), std::string::npos)
        << "the failures are counted: " << metrics.raw;
    EXPECT_NE(metrics.raw.find("tribune_bridge_errors_total" + label), std::string::npos) << metrics.raw;
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
    social_->publish_event(at(4) - 1, fake_social::jetstream_identity(at(4) - 1, "did:plc:ana", "ana.bsky.social"));
    social_->publish_event(at(4), fake_social::jetstream_post(at(4), "did:plc:ana", "3k4", "Live #TownHall q?", {}));
    auto qs = wait_questions(1);
    ASSERT_EQ(qs.size(), 1u);
    EXPECT_EQ(qs[0]["source"], "bluesky");
    EXPECT_EQ(qs[0]["external_id"], "at://did:plc:ana/app.bsky.feed.post/3k4");
    EXPECT_EQ(qs[0]["author"], "ana.bsky.social") << "the handle from the stream's identity event";
    EXPECT_EQ(qs[0]["text"], "Live #TownHall q?");
    EXPECT_EQ(qs[0]["created_at"], "2024-05-01T11:00:00.000Z") << "the record's createdAt";
    EXPECT_EQ(qs[0]["origin_url"], "https://bsky.app/profile/did:plc:ana/post/3k4");
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
    for (const json& q : qs) {
        if (q["external_id"] == "at://did:plc:ben/app.bsky.feed.post/3k5") {
            EXPECT_EQ(q["author"], "did:plc:ben") << "no identity event named ben: the DID";
        }
    }
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

// The flood benchmark (bench/bridge_flood runs it; disabled in CI, and it asserts no time):
// the real `tribune serve` (its shipped model) takes a Bluesky source from the local fake
// Jetstream, which publishes TRIBUNE_FLOOD_RATE posts a second (default 5,000) for
// TRIBUNE_FLOOD_SECONDS (default 20), every one carrying the tag. Printed each second: posts
// published, ingested (the source's count), the fake's backlog (written to the stream but not
// yet read by the bridge) and the server's resident memory; then the totals.
TEST(BridgeFlood, DISABLED_Benchmark) {
    const auto env_int = [](const char* name, int fallback) {
        const char* v = std::getenv(name);
        return v ? std::atoi(v) : fallback;
    };
    const int rate = env_int("TRIBUNE_FLOOD_RATE", 5000);
    const int seconds = env_int("TRIBUNE_FLOOD_SECONDS", 20);
    const auto dir = std::filesystem::temp_directory_path() / ("tribune-flood-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const certificate_files cert = self_signed_certificate(dir);
    auto social = fake_social::start(cert);
    ASSERT_TRUE(social);
    std::string error;
    auto server = tribune_process::serve((dir / "flood.db").string(),
                                         {"--classifier", "model", "--model",
                                          std::string(TRIBUNE_SOURCE_DIR) + "/models/toxicity.tlm",
                                          "--bridge-ca-file", cert.cert.string()},
                                         &error);
    ASSERT_TRUE(server) << error;
    const header_list admin = {{"Authorization", "Bearer " + server->admin_token()}};
    auto ev = http_call(server->port(), http::verb::post, "/api/v1/events",
                        json({{"slug", "flood"}, {"title", "Flood"}}).dump(), admin);
    ASSERT_EQ(ev.status, 201u) << ev;
    auto src = http_call(server->port(), http::verb::post, "/api/v1/events/flood/sources",
                         json({{"kind", "bluesky"}, {"tag", "flood"}, {"jetstream", social->jetstream_url()}}).dump(),
                         admin);
    ASSERT_EQ(src.status, 201u) << src;
    const std::string status_path = "/api/v1/events/flood/sources/" + std::to_string(src.body["id"].get<int>());
    const auto ingested = [&]() -> std::int64_t {
        auto r = http_call(server->port(), http::verb::get, status_path, {}, admin);
        return r.status == 200 ? r.body["status"]["posts"].get<std::int64_t>() : -1;
    };
    const auto rss_kb = [&]() -> long {
        std::ifstream in("/proc/" + std::to_string(server->pid()) + "/status");
        for (std::string line; std::getline(in, line);)
            if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
        return -1;
    };
    ASSERT_TRUE(social->wait_until([&] { return social->jetstream_streams() == 1; }));
    const long rss_before = rss_kb();
    using clock = std::chrono::steady_clock;
    const std::int64_t t0 = 1'765'000'200'000'000;
    const int total = rate * seconds;
    const auto start = clock::now();
    long rss_peak = rss_before;
    std::size_t backlog_peak = 0;
    std::printf("second  published  ingested  backlog  server_rss_MB\n");
    int published = 0;
    for (int tick = 0; published < total; ++tick) {  // 100 ticks a second
        const int due = std::min(total, static_cast<int>((static_cast<std::int64_t>(tick) + 1) * rate / 100));
        for (; published < due; ++published)
            social->publish_event(t0 + published,
                                  fake_social::jetstream_post(t0 + published, "did:plc:crowd" + std::to_string(published % 500),
                                                              "p" + std::to_string(published),
                                                              "Will question " + std::to_string(published) +
                                                                  " about the budget get an answer? #flood",
                                                              {}));
        std::this_thread::sleep_until(start + std::chrono::milliseconds(10 * (tick + 1)));
        backlog_peak = std::max(backlog_peak, social->backlog());
        if ((tick + 1) % 100 == 0) {
            const long rss = rss_kb();
            rss_peak = std::max(rss_peak, rss);
            std::printf("%6d  %9d  %8lld  %7zu  %13.1f\n", (tick + 1) / 100, published,
                        static_cast<long long>(ingested()), social->backlog(), rss / 1024.0);
        }
    }
    const double publish_s = std::chrono::duration<double>(clock::now() - start).count();
    std::int64_t done = 0;
    while ((done = ingested()) < total && clock::now() - start < std::chrono::seconds(seconds + 120)) {
        rss_peak = std::max(rss_peak, rss_kb());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const double all_s = std::chrono::duration<double>(clock::now() - start).count();
    std::printf("offered %d posts/s for %d s: published %d in %.2f s (%.0f/s); all ingested after %.2f s: "
                "%.0f posts/s (%.2f of the offered rate); peak fake backlog %zu; server RSS %.1f MB before, "
                "peak %.1f MB\n",
                rate, seconds, total, publish_s, total / publish_s, all_s, done / all_s, done / all_s / rate,
                backlog_peak, rss_before / 1024.0, rss_peak / 1024.0);
    EXPECT_EQ(done, total);
    server.reset();
    social.reset();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tribune::test

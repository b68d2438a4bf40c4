// Outbound webhooks (docs/api.md "Webhooks"): signed deliveries, retries with backoff and the
// same delivery id, disabling after repeated failure, the delivery log, delivery across a
// restart, HTTPS with certificate verification, and that no receiver ever delays ingest.

#include <openssl/hmac.h>

#include <set>
#include <string>
#include <thread>

#include "tests/server/test_server.hpp"
#include "tests/server/webhook_receiver.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// HMAC-SHA256 by OpenSSL: an implementation independent of the server's own.
std::string openssl_hmac_hex(const std::string& key, const std::string& msg) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &n);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < n; ++i) {
        hex.push_back(digits[out[i] >> 4]);
        hex.push_back(digits[out[i] & 15]);
    }
    return hex;
}

class webhooks_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }
    void SetUp() override {
        server_test::SetUp();
        if (HasFatalFailure()) return;
        ASSERT_NO_FATAL_FAILURE(start(hook_config(), make_placeholder()));
    }
    static std::unique_ptr<classifier> make_placeholder();
    server::config hook_config() {
        auto cfg = default_config();
        cfg.webhook_poll_interval = 20ms;
        cfg.webhook_retry_base = 50ms;
        cfg.webhook_timeout = 10s;
        cfg.webhook_disable_after = 3;
        return cfg;
    }
    void restart(server::config cfg) {
        stop();
        ASSERT_NO_FATAL_FAILURE(start(cfg, make_placeholder()));
    }
    // POST /api/v1/webhooks; expects 201.
    json create_hook(const std::string& url, const json& events = nullptr, const std::string& event = "demo") {
        json body = {{"event", event}, {"url", url}};
        if (!events.is_null()) body["events"] = events;
        auto r = post("/api/v1/webhooks", body);
        EXPECT_EQ(r.status, 201u) << r;
        return r.body;
    }
    json deliveries(std::int64_t hook) {
        auto r = get("/api/v1/webhooks/" + std::to_string(hook) + "/deliveries");
        EXPECT_EQ(r.status, 200u) << r;
        return r.body["items"];
    }
    // Polls until `pred(GET /api/v1/webhooks/{id})` holds; false after 20 s.
    template <typename Pred>
    bool wait_hook(std::int64_t hook, Pred pred) {
        for (int i = 0; i < 2000; ++i) {
            auto r = get("/api/v1/webhooks/" + std::to_string(hook));
            if (pred(r.body)) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
    template <typename Pred>
    bool wait_log(std::int64_t hook, Pred pred) {
        for (int i = 0; i < 2000; ++i) {
            if (pred(deliveries(hook))) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
};

}  // namespace
}  // namespace tribune::test

#include "core/classify/placeholder_classifier.hpp"

namespace tribune::test {
namespace {

std::unique_ptr<classifier> webhooks_test::make_placeholder() {
    return std::make_unique<placeholder_classifier>();
}

TEST_F(webhooks_test, deliveries_are_signed_and_carry_each_change) {
    auto receiver = webhook_receiver::start();
    ASSERT_NE(receiver, nullptr);
    const json hook = create_hook(receiver->url());
    const std::string secret = hook["secret"];
    ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << hook;
    const json answered_only = create_hook(receiver->url("/answered"), {"question.answered"});

    const json q = post_text("demo", review_text);  // pending
    decide(id_of(q), "approve");  // by a moderator named "mod"
    auto answered_r = post("/api/v1/questions/" + std::to_string(id_of(q)) + "/decision", {{"action", "answer"}});
    ASSERT_EQ(answered_r.status, 200u) << answered_r;
    ASSERT_TRUE(receiver->wait_for(4)) << "created, verdict_changed, answered + the answered-only hook";
    auto got = receiver->requests();
    std::vector<json> main;
    std::vector<json> answered;
    for (const received_request& r : got) {
        // The signature: HMAC-SHA256 over "<timestamp>.<body>" with the hook's secret.
        const std::string ts = r.headers.at("x-tribune-timestamp");
        const std::string key = r.target == "/hook" ? secret : answered_only["secret"].get<std::string>();
        EXPECT_EQ(r.headers.at("x-tribune-signature"), "v1=" + openssl_hmac_hex(key, ts + "." + r.body));
        EXPECT_LE(std::abs(std::stoll(ts) - std::time(nullptr)), 300) << "Unix seconds";
        EXPECT_EQ(r.headers.at("content-type"), "application/json");
        json body = json::parse(r.body);
        EXPECT_EQ(r.headers.at("x-tribune-delivery"), body["delivery_id"]);
        EXPECT_EQ(r.headers.at("x-tribune-event"), body["type"]);
        EXPECT_EQ(r.headers.at("x-tribune-attempt"), "1");
        (r.target == "/hook" ? main : answered).push_back(body);
    }
    ASSERT_EQ(main.size(), 3u);
    EXPECT_EQ(main[0]["type"], "question.created");
    EXPECT_EQ(main[0]["change"]["to"], "pending");
    EXPECT_EQ(main[0]["change"]["from"], nullptr);
    EXPECT_EQ(main[1]["type"], "question.verdict_changed");
    EXPECT_EQ(main[1]["change"]["from"], "pending");
    EXPECT_EQ(main[1]["change"]["to"], "approved");
    EXPECT_EQ(main[1]["change"]["actor"], "mod");
    EXPECT_EQ(main[2]["change"]["actor"], "test-admin");
    EXPECT_EQ(main[2]["type"], "question.answered");
    for (const json& b : main) {
        EXPECT_EQ(b["event"], "demo");
        EXPECT_EQ(b["question"]["id"], id_of(q));
        EXPECT_EQ(b["question"]["text"], review_text);
        EXPECT_TRUE(is_iso_ms_utc(b["occurred_at"])) << b;
    }
    ASSERT_EQ(answered.size(), 1u);
    EXPECT_EQ(answered[0]["type"], "question.answered");
    std::set<std::string> ids;
    for (const json& b : main) ids.insert(b["delivery_id"]);
    EXPECT_EQ(ids.size(), 3u) << "one delivery id per delivery";

    // The delivery log, newest first.
    ASSERT_TRUE(wait_log(hook["id"], [](const json& log) { return log.size() == 3; }));
    for (const json& a : deliveries(hook["id"])) {
        EXPECT_EQ(a["outcome"], "delivered") << a;
        EXPECT_EQ(a["http_status"], 200) << a;
        EXPECT_EQ(a["attempt"], 1) << a;
    }
    EXPECT_EQ(deliveries(hook["id"])[0]["type"], "question.answered");
}

TEST_F(webhooks_test, failures_are_retried_with_backoff_and_the_same_delivery_id) {
    auto receiver = webhook_receiver::start();
    ASSERT_NE(receiver, nullptr);
    receiver->script({500, 503}, 200);
    const json hook = create_hook(receiver->url());
    post_text("demo", clean_text);
    ASSERT_TRUE(receiver->wait_for(3));
    auto got = receiver->requests();
    ASSERT_EQ(got.size(), 3u);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].headers.at("x-tribune-delivery"), got[0].headers.at("x-tribune-delivery"))
            << "a retry is the same delivery: receivers deduplicate by its id";
        EXPECT_EQ(got[i].headers.at("x-tribune-attempt"), std::to_string(i + 1));
        EXPECT_EQ(json::parse(got[i].body)["delivery_id"], json::parse(got[0].body)["delivery_id"]);
    }
    ASSERT_TRUE(wait_log(hook["id"], [](const json& log) { return log.size() == 3; }));
    const json log = deliveries(hook["id"]);  // newest first
    EXPECT_EQ(log[2]["outcome"], "failed");
    EXPECT_EQ(log[2]["http_status"], 500);
    EXPECT_EQ(log[2]["retry_in_ms"], 50) << "the first retry waits the base delay";
    EXPECT_EQ(log[1]["outcome"], "failed");
    EXPECT_EQ(log[1]["http_status"], 503);
    EXPECT_EQ(log[1]["retry_in_ms"], 100) << "then twice as long";
    EXPECT_EQ(log[0]["outcome"], "delivered");
    EXPECT_EQ(log[0]["retry_in_ms"], nullptr);
    EXPECT_EQ(log[0]["attempt"], 3);
    auto h = get("/api/v1/webhooks/" + hook["id"].dump());
    EXPECT_EQ(h.body["consecutive_failures"], 0) << "a success resets the count: " << h;
    EXPECT_FALSE(h.body.contains("secret")) << "the secret is shown at creation only: " << h;
}

TEST_F(webhooks_test, a_hook_failing_repeatedly_is_disabled_and_resumes_when_re_enabled) {
    auto receiver = webhook_receiver::start();
    ASSERT_NE(receiver, nullptr);
    receiver->script({}, 500);
    const json hook = create_hook(receiver->url());
    post_text("demo", clean_text);
    ASSERT_TRUE(wait_hook(hook["id"], [](const json& h) { return h["enabled"] == false; }));
    // The third failure disabled it in the same transaction that logged it: no fourth try.
    EXPECT_EQ(receiver->requests().size(), 3u);
    auto h = get("/api/v1/webhooks/" + hook["id"].dump());
    EXPECT_NE(h.body["disabled_reason"].get<std::string>().find("3 consecutive"), std::string::npos) << h;
    const json log = deliveries(hook["id"]);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0]["outcome"], "hook_disabled");
    // Changes while disabled are not owed to it.
    post_text("demo", "Another question while the hook is off");

    receiver->script({}, 200);
    auto enabled = call(http::verb::patch, "/api/v1/webhooks/" + hook["id"].dump(), R"({"enabled": true})");
    ASSERT_EQ(enabled.status, 200u) << enabled;
    EXPECT_EQ(enabled.body["enabled"], true);
    EXPECT_EQ(enabled.body["consecutive_failures"], 0);
    ASSERT_TRUE(receiver->wait_for(4));
    auto got = receiver->requests();
    EXPECT_EQ(got[3].headers.at("x-tribune-delivery"), got[0].headers.at("x-tribune-delivery"))
        << "the owed delivery resumes";
    EXPECT_EQ(got[3].headers.at("x-tribune-attempt"), "4");
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(receiver->requests().size(), 4u) << "nothing was owed for the change made while disabled";
}

TEST_F(webhooks_test, a_blocked_or_dead_receiver_never_delays_ingest) {
    auto receiver = webhook_receiver::start();
    ASSERT_NE(receiver, nullptr);
    receiver->hold();
    const json slow = create_hook(receiver->url());
    const json dead = create_hook("http://127.0.0.1:" + std::to_string(dead_port()) + "/hook");

    post_text("demo", "The first question");
    ASSERT_TRUE(receiver->wait_for(1)) << "the dispatcher is now stuck on the slow receiver";
    // While the receiver holds its first request and the other hook's port refuses, ingest
    // and decisions go on: every question is answered 201 after its commit.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 30; ++i) {
        json q = post_text("demo", "Question number " + std::to_string(i) + " about the budget");
        ids.push_back(id_of(q));
    }
    decide(ids[0], "hold");
    EXPECT_EQ(receiver->requests().size(), 1u) << "the receiver is still holding its first request";
    receiver->release();

    // Afterwards every change is delivered, in order.
    ASSERT_TRUE(receiver->wait_for(32)) << receiver->requests().size();
    std::vector<std::int64_t> created;
    for (const received_request& r : receiver->requests()) {
        json b = json::parse(r.body);
        if (b["type"] == "question.created") created.push_back(b["question"]["id"]);
    }
    ASSERT_EQ(created.size(), 31u);
    EXPECT_TRUE(std::is_sorted(created.begin(), created.end())) << "in order per hook";
    // The dead hook fails and backs off; it never held anything up.
    ASSERT_TRUE(wait_log(dead["id"], [](const json& log) { return !log.empty(); }));
    const json failed = deliveries(dead["id"]).back();
    EXPECT_EQ(failed["http_status"], nullptr);
    EXPECT_NE(failed["error"].get<std::string>().find("connect"), std::string::npos) << failed;
    (void)slow;
}

TEST_F(webhooks_test, deliveries_owed_at_shutdown_are_made_after_a_restart) {
    auto receiver = webhook_receiver::start();
    ASSERT_NE(receiver, nullptr);
    receiver->script({}, 500);
    const json hook = create_hook(receiver->url());
    post_text("demo", clean_text);
    ASSERT_TRUE(receiver->wait_for(1));
    const std::string first_id = receiver->requests()[0].headers.at("x-tribune-delivery");
    stop();
    receiver->script({}, 200);
    auto cfg = hook_config();
    cfg.webhook_disable_after = 100;
    ASSERT_NO_FATAL_FAILURE(start(cfg, make_placeholder()));
    ASSERT_TRUE(wait_log(hook["id"], [](const json& log) { return !log.empty() && log[0]["outcome"] == "delivered"; }));
    auto got = receiver->requests();
    EXPECT_EQ(got.back().headers.at("x-tribune-delivery"), first_id) << "the same delivery, after the restart";
    EXPECT_EQ(json::parse(got.back().body)["type"], "question.created");
}

TEST_F(webhooks_test, https_receivers_are_verified_against_the_trusted_certificates) {
    const certificate_files cert = self_signed_certificate(temp_dir());
    ASSERT_FALSE(cert.cert.empty());
    auto receiver = webhook_receiver::start(cert);
    ASSERT_NE(receiver, nullptr);
    const json hook = create_hook(receiver->url());
    post_text("demo", clean_text);
    // Not trusted yet: the handshake fails, nothing reaches the receiver.
    ASSERT_TRUE(wait_log(hook["id"], [](const json& log) { return !log.empty(); }));
    const json failed = deliveries(hook["id"]).back();
    EXPECT_EQ(failed["outcome"], "failed") << failed;
    EXPECT_NE(failed["error"].get<std::string>().find("tls"), std::string::npos) << failed;
    EXPECT_TRUE(receiver->requests().empty());

    auto cfg = hook_config();
    cfg.webhook_ca_file = cert.cert.string();
    ASSERT_NO_FATAL_FAILURE(restart(cfg));
    ASSERT_TRUE(receiver->wait_for(1));
    EXPECT_EQ(json::parse(receiver->requests()[0].body)["type"], "question.created");
}

TEST_F(webhooks_test, admins_manage_hooks_and_others_may_not) {
    expect_error(post("/api/v1/webhooks", {{"event", "demo"}, {"url", "ftp://x/"}}), 400, "invalid_url");
    expect_error(post("/api/v1/webhooks", {{"event", "demo"}, {"url", "http://user:pw@host/"}}), 400,
                 "invalid_url");
    expect_error(post("/api/v1/webhooks", {{"event", "demo"}, {"url", "http://h/"}, {"events", {"question.deleted"}}}),
                 400, "invalid_field");
    expect_error(post("/api/v1/webhooks", {{"event", "nope"}, {"url", "http://h/"}}), 404, "event_not_found");
    const std::string mod = token_for("moderator", "mod");
    expect_error(call(http::verb::get, "/api/v1/webhooks", "", bearer(mod)), 403, "forbidden");
    expect_error(call(http::verb::post, "/api/v1/webhooks", R"({"event":"demo","url":"http://h/"})", bearer(mod)),
                 403, "forbidden");

    const json hook = create_hook("http://127.0.0.1:9/hook", {"question.created"});
    EXPECT_EQ(hook["events"], json::array({"question.created"}));
    auto list = get("/api/v1/webhooks?event=demo");
    ASSERT_EQ(list.body["items"].size(), 1u) << list;
    EXPECT_FALSE(list.body["items"][0].contains("secret"));
    auto rotated = call(http::verb::patch, "/api/v1/webhooks/" + hook["id"].dump(),
                        R"({"rotate_secret": true, "url": "http://127.0.0.1:9/other"})");
    ASSERT_EQ(rotated.status, 200u) << rotated;
    EXPECT_NE(rotated.body["secret"], hook["secret"]);
    EXPECT_EQ(rotated.body["url"], "http://127.0.0.1:9/other");
    expect_error(call(http::verb::patch, "/api/v1/webhooks/" + hook["id"].dump(), R"({"colour": 1})"), 400,
                 "invalid_field");
    EXPECT_EQ(call(http::verb::delete_, "/api/v1/webhooks/" + hook["id"].dump()).status, 200u);
    expect_error(get("/api/v1/webhooks/" + hook["id"].dump()), 404, "webhook_not_found");
}

}  // namespace
}  // namespace tribune::test

// Events, health and metrics (docs/api.md "Events", "Operations").

#include <chrono>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using events_test = server_test;

TEST_F(events_test, a_fresh_database_has_the_demo_event) {
    auto r = get("/api/v1/events/demo");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["slug"], "demo");
    EXPECT_TRUE(r.body.contains("title") && r.body["title"].is_string()) << r;
    EXPECT_TRUE(r.body.contains("premoderate") && r.body["premoderate"].is_boolean()) << r;
    EXPECT_TRUE(is_iso_ms_utc(r.body.value("created_at", json()))) << r;
    EXPECT_TRUE(r.body.contains("counts") && r.body["counts"].is_object()) << r;

    auto list = get("/api/v1/events");
    ASSERT_EQ(list.status, 200u) << list;
    ASSERT_TRUE(list.body["items"].is_array()) << list;
    ASSERT_EQ(list.body["items"].size(), 1u) << list;
    EXPECT_EQ(list.body["items"][0]["slug"], "demo");
}

TEST_F(events_test, create_then_get_and_list) {
    auto r = post("/api/v1/events", {{"slug", "townhall"}, {"title", "Town hall"}, {"premoderate", true}});
    ASSERT_EQ(r.status, 201u) << r;
    EXPECT_EQ(r.body["slug"], "townhall");
    EXPECT_EQ(r.body["title"], "Town hall");
    EXPECT_EQ(r.body["premoderate"], true);
    EXPECT_TRUE(is_iso_ms_utc(r.body.value("created_at", json()))) << r;

    auto g = get("/api/v1/events/townhall");
    ASSERT_EQ(g.status, 200u) << g;
    EXPECT_EQ(g.body["slug"], "townhall");
    EXPECT_EQ(g.body["title"], "Town hall");
    EXPECT_EQ(g.body["premoderate"], true);
    EXPECT_EQ(g.body["created_at"], r.body["created_at"]);
    ASSERT_TRUE(g.body["counts"].is_object()) << g;
    for (const auto& [status, n] : g.body["counts"].items()) EXPECT_EQ(n, 0) << status;

    // premoderate defaults to false.
    auto open = post("/api/v1/events", {{"slug", "open-mic"}, {"title", "Open mic"}});
    ASSERT_EQ(open.status, 201u) << open;
    EXPECT_EQ(open.body["premoderate"], false);

    auto list = get("/api/v1/events");
    ASSERT_EQ(list.status, 200u) << list;
    std::set<std::string> slugs;
    for (const auto& e : list.body["items"]) slugs.insert(e.value("slug", ""));
    EXPECT_EQ(slugs, (std::set<std::string>{"demo", "townhall", "open-mic"}));

    // Counts follow the questions.
    post_text("townhall", clean_text);
    post_text("townhall", review_text);
    auto after = get("/api/v1/events/townhall");
    EXPECT_EQ(after.body["counts"].value("held", 0), 1) << after;
    EXPECT_EQ(after.body["counts"].value("pending", 0), 1) << after;
}

TEST_F(events_test, events_survive_a_restart) {
    create_event("durable", true, "Durable");
    json q = post_text("durable", clean_text);
    stop();
    ASSERT_NO_FATAL_FAILURE(start_default());
    auto g = get("/api/v1/events/durable");
    ASSERT_EQ(g.status, 200u) << g;
    EXPECT_EQ(g.body["title"], "Durable");
    EXPECT_EQ(get_question(id_of(q))["text"], clean_text);
}

TEST_F(events_test, healthz) {
    auto r = get("/healthz");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body.value("status", ""), "ok") << r;
    EXPECT_EQ(r.body.value("classifier", ""), "placeholder word list") << r;
    EXPECT_TRUE(r.body.contains("queue_depth") && r.body["queue_depth"].is_number_integer()) << r;
    EXPECT_EQ(r.body.value("queue_depth", -1), 0) << r;
}

// The sum of every sample of metric `name` (any labels), or -1 when there is none.
double sum_samples(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string line;
    double sum = 0;
    bool found = false;
    while (std::getline(in, line)) {
        if (line.rfind(name, 0) != 0 || line.size() <= name.size()) continue;
        if (line[name.size()] != ' ' && line[name.size()] != '{') continue;
        auto space = line.find_last_of(' ');
        sum += std::stod(line.substr(space + 1));
        found = true;
    }
    return found ? sum : -1;
}

bool has_line_matching(const std::string& text, const std::regex& re) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (std::regex_search(line, re)) return true;
    return false;
}

TEST_F(events_test, metrics_in_prometheus_text_format) {
    post_text("demo", clean_text);
    post_text("demo", review_text);
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);

    auto r = get("/metrics");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.header("content-type").rfind("text/plain", 0), 0u) << r.header("content-type");
    const std::string& t = r.raw;
    for (const char* name : {"tribune_http_requests_total", "tribune_websocket_clients",
                             "tribune_scoring_seconds_bucket", "tribune_questions{",
                             "tribune_http_request_seconds_bucket", "tribune_ingest_queue_depth"})
        EXPECT_NE(t.find(name), std::string::npos) << name << " missing in:\n" << t;
    EXPECT_NE(t.find("# TYPE tribune_http_requests_total counter"), std::string::npos) << t;
    EXPECT_NE(t.find("# TYPE tribune_scoring_seconds histogram"), std::string::npos) << t;

    EXPECT_EQ(sum_samples(t, "tribune_websocket_clients"), 1.0) << t;
    EXPECT_TRUE(has_line_matching(
        t, std::regex(R"(^tribune_questions\{[^}]*event="demo"[^}]*status="approved"[^}]*\} 1(\.0+)?$|^tribune_questions\{[^}]*status="approved"[^}]*event="demo"[^}]*\} 1(\.0+)?$)")))
        << t;
    EXPECT_TRUE(has_line_matching(
        t, std::regex(R"(^tribune_http_requests_total\{.*status="201".*\} [1-9])")))
        << t;
    EXPECT_TRUE(has_line_matching(t, std::regex(R"(^tribune_scoring_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} [1-9])")))
        << t;
    EXPECT_TRUE(has_line_matching(t, std::regex(R"(^tribune_scoring_seconds_count(\{[^}]*\})? [1-9])")))
        << t;
    // Both posted questions, in each stage of the ingest pipeline.
    EXPECT_NE(t.find("# TYPE tribune_ingest_stage_seconds histogram"), std::string::npos) << t;
    for (const char* stage : {"queued", "scoring", "to_commit", "commit", "to_sync", "sync"})
        EXPECT_TRUE(has_line_matching(
            t, std::regex(std::string(R"(^tribune_ingest_stage_seconds_count\{stage=")") + stage + R"("\} 2$)")))
            << stage << " in:\n" << t;

    // The client gauge follows disconnects.
    ws->close();
    double clients = -1;
    for (int i = 0; i < 50 && clients != 0.0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        clients = sum_samples(get("/metrics").raw, "tribune_websocket_clients");
    }
    EXPECT_EQ(clients, 0.0);
}

}  // namespace
}  // namespace tribune::test

// Moderator decisions: status change, version, broadcast, audit trail and optimistic
// concurrency (docs/api.md "Questions": decision and decisions).

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using decisions_test = server_test;

std::string decision_target(std::int64_t id) {
    return "/api/v1/questions/" + std::to_string(id) + "/decision";
}

TEST_F(decisions_test, approve_updates_broadcasts_and_audits) {
    create_event("townhall", true);
    auto ws = open_snapshot("townhall");
    ASSERT_TRUE(ws);

    json q = post_text("townhall", clean_text);
    ASSERT_EQ(q["status"], "held") << q.dump();
    const std::int64_t id = id_of(q);
    const auto version = q["version"].get<std::int64_t>();
    json created = read_change(*ws);
    ASSERT_EQ(id_of(created["question"]), id) << created.dump();
    const auto snap_seq = created["seq"].get<std::int64_t>();

    // The audit trail names the holder of the token that made the decision.
    auto r = call(http::verb::post, decision_target(id),
                  json{{"action", "approve"}, {"reason", "on topic"}, {"expected_version", version}}
                      .dump(),
                  bearer(token_for("moderator", "alice")));
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_NO_FATAL_FAILURE(expect_question_shape(r.body));
    EXPECT_EQ(id_of(r.body), id);
    EXPECT_EQ(r.body["status"], "approved");
    EXPECT_EQ(r.body["version"].get<std::int64_t>(), version + 1);
    EXPECT_EQ(r.body["created_at"], q["created_at"]);

    json stored = get_question(id);
    EXPECT_EQ(stored["status"], "approved");
    EXPECT_EQ(stored["version"].get<std::int64_t>(), version + 1);

    // Broadcast with from and actor.
    json m = read_change(*ws);
    ASSERT_FALSE(m.is_null());
    EXPECT_EQ(m["change"], "updated") << m.dump();
    EXPECT_EQ(m["seq"].get<std::int64_t>(), snap_seq + 1) << m.dump();
    EXPECT_EQ(m["from"], "held") << m.dump();
    EXPECT_EQ(m["actor"], "alice") << m.dump();
    EXPECT_EQ(id_of(m["question"]), id);
    EXPECT_EQ(m["question"]["status"], "approved");
    EXPECT_EQ(m["question"]["version"].get<std::int64_t>(), version + 1);

    // Audit trail, oldest first; the last row is this decision.
    auto d = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    ASSERT_EQ(d.status, 200u) << d;
    ASSERT_TRUE(d.body["items"].is_array()) << d;
    ASSERT_FALSE(d.body["items"].empty()) << d;
    const json& row = d.body["items"].back();
    EXPECT_EQ(row["question_id"], id) << row.dump();
    EXPECT_EQ(row["actor"], "alice") << row.dump();
    EXPECT_EQ(row["action"], "approve") << row.dump();
    EXPECT_EQ(row["from"], "held") << row.dump();
    EXPECT_EQ(row["to"], "approved") << row.dump();
    EXPECT_EQ(row["reason"], "on topic") << row.dump();
    EXPECT_TRUE(is_iso_ms_utc(row.value("at", json()))) << row.dump();
    EXPECT_TRUE(row.contains("id") && row["id"].is_number_integer()) << row.dump();
    std::int64_t prev = 0;
    for (const auto& item : d.body["items"]) {
        EXPECT_GT(item["id"].get<std::int64_t>(), prev) << "decisions oldest first: " << d;
        prev = item["id"].get<std::int64_t>();
    }
}

TEST_F(decisions_test, reject_and_hold_change_the_status_and_each_adds_an_audit_row) {
    json q = post_text("demo", review_text);
    ASSERT_EQ(q["status"], "pending");
    const std::int64_t id = id_of(q);
    auto before = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    ASSERT_EQ(before.status, 200u) << before;
    const std::size_t rows = before.body["items"].size();

    json rejected = decide(id, "reject", "bob", "insulting");
    EXPECT_EQ(rejected["status"], "rejected");
    EXPECT_EQ(rejected["version"], 2);
    json held = decide(id, "hold", "carol");
    EXPECT_EQ(held["status"], "held");
    EXPECT_EQ(held["version"], 3);

    auto after = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    ASSERT_EQ(after.status, 200u) << after;
    ASSERT_EQ(after.body["items"].size(), rows + 2) << after;
    const json& r1 = after.body["items"][rows];
    const json& r2 = after.body["items"][rows + 1];
    EXPECT_EQ(r1["actor"], "bob");
    EXPECT_EQ(r1["from"], "pending");
    EXPECT_EQ(r1["to"], "rejected");
    EXPECT_EQ(r2["actor"], "carol");
    EXPECT_EQ(r2["from"], "rejected");
    EXPECT_EQ(r2["to"], "held");
}

TEST_F(decisions_test, stale_expected_version_answers_409_with_the_current_question) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    json q = post_text("demo", review_text);
    const std::int64_t id = id_of(q);
    ASSERT_EQ(q["version"], 1);
    json approved = decide(id, "approve", "alice");
    ASSERT_EQ(approved["version"], 2);
    auto rows_before = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    read_changes(*ws, 2);  // created, updated

    auto r = post(decision_target(id),
                  {{"action", "reject"}, {"moderator", "bob"}, {"expected_version", 1}});
    expect_error(r, 409, "version_conflict");
    ASSERT_TRUE(r.body.contains("current")) << "409 body lacks \"current\": " << r;
    EXPECT_EQ(id_of(r.body["current"]), id) << r;
    EXPECT_EQ(r.body["current"]["status"], "approved") << r;
    EXPECT_EQ(r.body["current"]["version"], 2) << r;

    // Nothing changed, nothing audited, nothing broadcast.
    json stored = get_question(id);
    EXPECT_EQ(stored["status"], "approved");
    EXPECT_EQ(stored["version"], 2);
    auto rows_after = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    EXPECT_EQ(rows_after.body["items"].size(), rows_before.body["items"].size()) << rows_after;
    expect_silence(*ws);

    // The current version is accepted.
    auto ok = post(decision_target(id),
                   {{"action", "reject"}, {"moderator", "bob"}, {"expected_version", 2}});
    ASSERT_EQ(ok.status, 200u) << ok;
    EXPECT_EQ(ok.body["status"], "rejected");
    EXPECT_EQ(ok.body["version"], 3);
}

TEST_F(decisions_test, concurrent_decisions_on_one_version_exactly_one_wins) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    json q = post_text("demo", review_text);
    ASSERT_EQ(q["status"], "pending");
    read_changes(*ws, 1);
    const std::int64_t id = id_of(q);

    constexpr int n = 8;
    const char* actions[] = {"approve", "reject", "hold"};
    std::vector<http_response> results(n);
    std::atomic<int> ready{0};
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            json body = {{"action", actions[i % 3]},
                         {"moderator", "mod" + std::to_string(i)},
                         {"expected_version", 1}};
            ++ready;
            while (ready.load() < n) std::this_thread::yield();
            results[static_cast<std::size_t>(i)] =
                call(http::verb::post, decision_target(id), body.dump());
        });
    for (auto& t : threads) t.join();

    int won = 0;
    std::string winner_status;
    for (const auto& r : results) {
        if (r.status == 200) {
            ++won;
            winner_status = r.body.value("status", "");
            EXPECT_EQ(r.body["version"], 2) << r;
        } else {
            expect_error(r, 409, "version_conflict");
            EXPECT_EQ(r.body["current"]["version"], 2) << r;
        }
    }
    ASSERT_EQ(won, 1) << "optimistic concurrency: exactly one decision on version 1";
    json stored = get_question(id);
    EXPECT_EQ(stored["status"], winner_status);
    EXPECT_EQ(stored["version"], 2);
    auto d = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    int moderator_rows = 0;
    for (const auto& row : d.body["items"])
        if (row.value("action", "") != "auto") ++moderator_rows;
    EXPECT_EQ(moderator_rows, 1) << d;
    read_changes(*ws, 1);
    expect_silence(*ws);
}

TEST_F(decisions_test, concurrent_decisions_keep_the_audit_trail_a_consistent_chain) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    json q = post_text("demo", review_text);
    read_changes(*ws, 1);
    const std::int64_t id = id_of(q);

    constexpr int n = 12;
    std::vector<http_response> results(n);
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            json body = {{"action", i % 2 == 0 ? "approve" : "reject"},
                         {"moderator", "mod" + std::to_string(i)}};
            results[static_cast<std::size_t>(i)] =
                call(http::verb::post, decision_target(id), body.dump());
        });
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_EQ(r.status, 200u) << r;

    json stored = get_question(id);
    const auto version = stored["version"].get<std::int64_t>();
    auto d = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
    ASSERT_EQ(d.status, 200u) << d;
    std::vector<json> rows;
    for (const auto& row : d.body["items"])
        if (row.value("action", "") != "auto") rows.push_back(row);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(static_cast<std::int64_t>(rows.size()), version - 1)
        << "one audit row per status change: " << d;
    EXPECT_EQ(rows.front()["from"], "pending") << d;
    for (std::size_t i = 1; i < rows.size(); ++i)
        EXPECT_EQ(rows[i]["from"], rows[i - 1]["to"]) << "audit chain broken at row " << i << ": " << d;
    EXPECT_EQ(rows.back()["to"], stored["status"]) << d;

    // One broadcast per change; applied by version they end in the stored state.
    auto changes = read_changes(*ws, rows.size());
    std::set<std::int64_t> versions;
    json newest;
    for (const auto& m : changes) {
        versions.insert(m["question"]["version"].get<std::int64_t>());
        if (newest.is_null() || m["question"]["version"] > newest["version"]) newest = m["question"];
    }
    EXPECT_EQ(versions.size(), rows.size()) << "each version broadcast once";
    EXPECT_EQ(newest.value("version", std::int64_t{0}), version);
    EXPECT_EQ(newest.value("status", ""), stored["status"]);
    expect_silence(*ws);
}

}  // namespace
}  // namespace tribune::test

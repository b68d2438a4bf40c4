// Several Tribune instances on one PostgreSQL database (issue 15): two real `tribune serve`
// processes share a fresh database of the test cluster (tests/postgres/pg-cluster). What one
// commits reaches the other's dashboards (LISTEN/NOTIFY), idempotency and optimistic
// concurrency hold across them, and a dashboard that reconnects to the other instance misses
// nothing. Also: a --db URL of a scheme Tribune does not support is refused at start.

#include <signal.h>

#include <filesystem>
#include <functional>
#include <future>
#include <thread>

#include "core/postgres/pg_connection.hpp"
#include "tests/postgres/test_postgres.hpp"
#include "tests/server/test_clients.hpp"
#include "tests/server/test_server.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

TEST(database_url, another_scheme_is_refused_with_one_line_and_creates_nothing) {
    std::string out;
    const int code = run_tribune({"serve", "--db", "mysql://root@db/tribune", "--port", "0",
                                  "--classifier", "placeholder"},
                                 &out);
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("unsupported database URL scheme 'mysql://'"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_FALSE(std::filesystem::exists("mysql:")) << "a folder named after the URL was created";
}

class multi_instance_test : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        url_ = testing::fresh_postgres_database(&why);
        if (url_.empty()) GTEST_SKIP() << why;
        std::string error;
        a_ = tribune_process::serve(url_, serve_args(), &error);
        ASSERT_NE(a_, nullptr) << error;
        ASSERT_FALSE(a_->admin_token().empty()) << a_->output();
        b_url_ = url_for_b();
        ASSERT_FALSE(b_url_.empty());
        b_ = tribune_process::serve(b_url_, serve_args(), &error);
        ASSERT_NE(b_, nullptr) << error;
        auth_ = {{"Authorization", "Bearer " + a_->admin_token()}};
    }

    http_response post_question(const tribune_process& p, const json& body) {
        return http_call(p.port(), http::verb::post, "/api/v1/events/demo/questions", body.dump(),
                         auth_);
    }
    http_response decide(const tribune_process& p, std::int64_t id, const std::string& action,
                         std::int64_t version) {
        return http_call(p.port(), http::verb::post, "/api/v1/questions/" + std::to_string(id) + "/decision",
                         json{{"action", action}, {"expected_version", version}}.dump(), auth_);
    }
    std::unique_ptr<ws_client> stream(const tribune_process& p, const std::string& query = "") {
        std::string error;
        auto ws = ws_client::connect(p.port(), "/api/v1/events/demo/stream" + query, &error,
                                     default_ws_timeout, auth_);
        EXPECT_NE(ws, nullptr) << error;
        return ws;
    }
    // The next message of `ws` about question `id`, skipping others; null when none comes.
    static json next_about(ws_client& ws, std::int64_t id) {
        for (int i = 0; i < 50; ++i) {
            auto m = ws.read_json(std::chrono::milliseconds(10'000));
            if (!m) return {};
            if (m->value("type", "") == "question" && id_of((*m)["question"]) == id) return *m;
        }
        return {};
    }

    // The database URL instance B connects with (the same as A's unless a test cuts B off).
    virtual std::string url_for_b() { return url_; }
    // What both instances are started with besides the database.
    virtual std::vector<std::string> serve_args() { return {}; }

    // Reads `ws` (the per-change protocol) until a message about each of `ids` arrived; the
    // messages read, in order (fewer when the stream stops first).
    static std::vector<json> read_until(ws_client& ws, std::vector<std::int64_t> ids) {
        std::vector<json> read;
        for (int i = 0; i < 200 && !ids.empty(); ++i) {
            auto m = ws.read_json(std::chrono::milliseconds(15'000));
            if (!m) break;
            read.push_back(*m);
            if (m->value("type", "") != "question") continue;
            ids.erase(std::remove(ids.begin(), ids.end(), id_of((*m)["question"])), ids.end());
        }
        return read;
    }
    // The seq of the message about question `id` in `read`; -1 when none.
    static std::int64_t seq_of(const std::vector<json>& read, std::int64_t id) {
        for (const json& m : read)
            if (m.value("type", "") == "question" && id_of(m["question"]) == id)
                return m["seq"].get<std::int64_t>();
        return -1;
    }
    // Every message of `read` is a change (no snapshot), numbered from `first` by one.
    static void expect_numbered_from(const std::vector<json>& read, std::int64_t first) {
        std::int64_t next = first;
        for (const json& m : read) {
            EXPECT_NE(m.value("type", ""), "snapshot") << m.dump();
            if (!m.contains("seq")) continue;
            EXPECT_EQ(m["seq"].get<std::int64_t>(), next) << "a gap or a repeat: " << m.dump();
            next = m["seq"].get<std::int64_t>() + 1;
        }
    }

    std::string url_, b_url_;
    std::unique_ptr<tribune_process> a_, b_;
    header_list auth_;
};

TEST_F(multi_instance_test, a_question_posted_to_one_reaches_the_other_and_back) {
    auto on_b = stream(*b_);
    ASSERT_NE(on_b, nullptr);
    auto snapshot = on_b->read_json();
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_EQ(snapshot->value("type", ""), "snapshot") << snapshot->dump();

    auto posted = post_question(*a_, {{"text", "Will the budget grow next year?"}});
    ASSERT_EQ(posted.status, 201u) << posted;
    const std::int64_t id = id_of(posted.body);
    json seen = next_about(*on_b, id);
    ASSERT_FALSE(seen.is_null()) << "the question posted to instance A never reached B's stream";
    EXPECT_EQ(seen["change"], "created") << seen.dump();
    EXPECT_EQ(seen["question"]["text"], "Will the budget grow next year?");

    // A decision on B reaches a dashboard of A.
    auto on_a = stream(*a_);
    ASSERT_NE(on_a, nullptr);
    ASSERT_TRUE(on_a->read_json().has_value());  // its snapshot
    auto decided = decide(*b_, id, "hold", posted.body["version"].get<std::int64_t>());
    ASSERT_EQ(decided.status, 200u) << decided;
    // (The question's own "created" may come first: the snapshot may already hold a change
    // A's hub has not yet numbered — it learns of its own commits from the database too.)
    json moved = next_about(*on_a, id);
    while (!moved.is_null() && moved["change"] == "created") moved = next_about(*on_a, id);
    ASSERT_FALSE(moved.is_null()) << "the decision made on B never reached A's stream";
    EXPECT_EQ(moved["question"]["status"], "held") << moved.dump();
}

// The near-duplicate index is shared through the changes each instance receives: a question
// stored by B is a grouping candidate on A, and a group decision made on B is inherited on A
// (placeholder classifier: "idiot" scores insult 0.80, so the question waits in review).
TEST_F(multi_instance_test, near_duplicates_group_across_instances_and_inherit_the_other_ones_decision) {
    const std::string text = "Why is the minister such an idiot about the overdraft fees?";
    auto on_a = stream(*a_);
    ASSERT_NE(on_a, nullptr);
    ASSERT_TRUE(on_a->read_json().has_value());  // its snapshot

    auto original = post_question(*b_, {{"text", text}});
    ASSERT_EQ(original.status, 201u) << original;
    ASSERT_EQ(original.body["status"], "pending") << original;
    const std::int64_t id = id_of(original.body);
    const json group = original.body["cluster"]["id"];
    // A's dashboard shows it once A's index has it (the index absorbs a change first).
    ASSERT_FALSE(next_about(*on_a, id).is_null()) << "B's question never reached A";

    auto copy = post_question(*a_, {{"text", "RT @bob: " + text + " #AskJPM"}});
    ASSERT_EQ(copy.status, 201u) << copy;
    EXPECT_EQ(copy.body["cluster"]["id"], group)
        << "a near-duplicate posted to A did not join the group B started: " << copy;

    // A moderator rejects the original on B: the group's decision reaches A's index.
    auto decided = decide(*b_, id, "reject", original.body["version"].get<std::int64_t>());
    ASSERT_EQ(decided.status, 200u) << decided;
    json moved = next_about(*on_a, id);
    while (!moved.is_null() && moved["question"]["status"] != "rejected") moved = next_about(*on_a, id);
    ASSERT_FALSE(moved.is_null()) << "the rejection made on B never reached A's stream";

    auto later = post_question(*a_, {{"text", "RT @carol: " + text + " https://t.co/x2"}});
    ASSERT_EQ(later.status, 201u) << later;
    EXPECT_EQ(later.body["cluster"]["id"], group) << later;
    EXPECT_EQ(later.body["status"], "auto_rejected")
        << "a question joining a group rejected on B did not inherit the decision on A: " << later;
}

TEST_F(multi_instance_test, idempotency_and_optimistic_concurrency_hold_across_instances) {
    const json body = {{"text", "Retried by a bridge?"}, {"source", "bridge"}, {"external_id", "m-1"}};
    auto first = post_question(*a_, body);
    auto again = post_question(*b_, body);
    ASSERT_TRUE(first.status == 201u || first.status == 200u) << first;
    ASSERT_TRUE(again.status == 201u || again.status == 200u) << again;
    EXPECT_EQ(id_of(first.body), id_of(again.body)) << "one question for one (source, external_id)";
    auto list = http_call(b_->port(), http::verb::get, "/api/v1/events/demo/questions", {}, auth_);
    ASSERT_EQ(list.status, 200u) << list;
    EXPECT_EQ(list.body["items"].size(), 1u) << list;

    // Two moderators decide the same version at once, one on each instance: one wins.
    const std::int64_t id = id_of(first.body);
    const std::int64_t version = first.body["version"].get<std::int64_t>();
    auto on_a = std::async(std::launch::async, [&] { return decide(*a_, id, "reject", version); });
    auto on_b = std::async(std::launch::async, [&] { return decide(*b_, id, "hold", version); });
    const http_response ra = on_a.get(), rb = on_b.get();
    std::vector<unsigned> codes{ra.status, rb.status};
    std::sort(codes.begin(), codes.end());
    EXPECT_EQ(codes, (std::vector<unsigned>{200u, 409u})) << ra << rb;
    const http_response& lost = ra.status == 409u ? ra : rb;
    EXPECT_EQ(lost.error_code(), "version_conflict") << lost;
}

TEST_F(multi_instance_test, a_dashboard_of_a_killed_instance_resumes_on_the_other_without_a_gap) {
    // The database numbers the changes: both instances give the same numbers.
    auto watcher = stream(*b_);
    ASSERT_NE(watcher, nullptr);
    auto on_b = watcher->read_json();
    auto on_a = stream(*a_);
    ASSERT_NE(on_a, nullptr);
    auto snapshot = on_a->read_json();
    ASSERT_TRUE(snapshot.has_value() && on_b.has_value());
    ASSERT_EQ(snapshot->value("type", ""), "snapshot") << snapshot->dump();
    const auto epoch = (*snapshot)["epoch"].get<std::string>();
    EXPECT_EQ((*on_b)["epoch"], epoch) << "the two instances number the stream differently";

    auto p1 = post_question(*a_, {{"text", "Seen by the dashboard before A dies?"}});
    ASSERT_EQ(p1.status, 201u) << p1;
    const auto seen_on_a = read_until(*on_a, {id_of(p1.body)});
    const auto seen_on_b = read_until(*watcher, {id_of(p1.body)});
    const std::int64_t applied = seq_of(seen_on_a, id_of(p1.body));
    ASSERT_GT(applied, 0);
    EXPECT_EQ(seq_of(seen_on_b, id_of(p1.body)), applied) << "one change, two numbers";

    // A commits one more, then dies before its dashboard reads it; B commits another.
    auto p2 = post_question(*a_, {{"text", "Committed on A just before SIGKILL?"}});
    ASSERT_EQ(p2.status, 201u) << p2;
    a_->signal(SIGKILL);
    ASSERT_TRUE(a_->wait(std::chrono::milliseconds(10'000)).has_value());
    auto p3 = post_question(*b_, {{"text", "Committed on the survivor meanwhile?"}});
    ASSERT_EQ(p3.status, 201u) << p3;

    // The dashboard comes back through the load balancer, to B, with A's position.
    auto resumed = stream(*b_, "?since=" + std::to_string(applied) + "&epoch=" + url_encode(epoch));
    ASSERT_NE(resumed, nullptr);
    const auto read = read_until(*resumed, {id_of(p2.body), id_of(p3.body)});
    expect_numbered_from(read, applied + 1);
    EXPECT_EQ(seq_of(read, id_of(p2.body)), applied + 1) << "missed: " << p2;
    EXPECT_EQ(seq_of(read, id_of(p3.body)), applied + 2) << "missed: " << p3;
}

// Presence across instances: the moderators online that a dashboard's activity message lists
// are those of every instance (each tells the others every heartbeat, the activity interval,
// here 300 ms, and whenever its list changes); an instance killed without a word leaves the
// list after three heartbeats.
class multi_instance_presence_test : public multi_instance_test {
protected:
    std::vector<std::string> serve_args() override { return {"--activity-interval-ms", "300"}; }

    // The connections `activity` lists for `name` (0: not listed) and its role.
    static std::pair<std::int64_t, std::string> listed(const json& activity, const std::string& name) {
        for (const json& m : activity.value("moderators", json::array()))
            if (m.value("name", "") == name)
                return {m.value("connections", std::int64_t{0}), m.value("role", "")};
        return {0, ""};
    }
    // Reads `ws` until an activity message for which `want` holds; null when none comes.
    static json await_activity(ws_client& ws, const std::function<bool(const json&)>& want) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(std::chrono::milliseconds(2'000));
            if (m && m->value("type", "") == "activity" && want(*m)) return *m;
        }
        return {};
    }
};

TEST_F(multi_instance_presence_test, moderators_on_one_instance_are_listed_on_the_other_until_they_leave_or_it_dies) {
    std::string out;
    ASSERT_EQ(run_tribune({"token", "create", "--role", "moderator", "--name", "alice", "--event",
                           "demo", "--db", url_},
                          &out),
              0)
        << out;
    const std::string alice = out.substr(0, out.find('\n'));
    ASSERT_EQ(alice.rfind("trb_", 0), 0u) << out;

    // A dashboard on B (the admin's view stream, asking for activity).
    std::string error;
    auto dash = ws_client::connect(b_->port(), "/api/v1/events/demo/stream?mode=view", &error,
                                   default_ws_timeout, auth_);
    ASSERT_NE(dash, nullptr) << error;
    ASSERT_TRUE(dash->send_text(json{{"type", "subscribe"}, {"id", 1}, {"view", json::object()},
                                     {"limit", 5}, {"activity", true}}
                                    .dump()));
    const json first = await_activity(*dash, [](const json&) { return true; });
    ASSERT_FALSE(first.is_null()) << "no activity message on B";
    EXPECT_EQ(listed(first, "alice").first, 0) << first.dump();

    // Alice opens two streams on A: B lists her, with both.
    const header_list as_alice = {{"Authorization", "Bearer " + alice}};
    auto one = ws_client::connect(a_->port(), "/api/v1/events/demo/stream", &error, default_ws_timeout, as_alice);
    ASSERT_NE(one, nullptr) << error;
    auto two = ws_client::connect(a_->port(), "/api/v1/events/demo/stream", &error, default_ws_timeout, as_alice);
    ASSERT_NE(two, nullptr) << error;
    json seen = await_activity(*dash, [&](const json& m) { return listed(m, "alice").first == 2; });
    ASSERT_FALSE(seen.is_null()) << "alice's two streams on A never appeared on B";
    EXPECT_EQ(listed(seen, "alice").second, "moderator") << seen.dump();

    // One closes: B lists one.
    one.reset();
    seen = await_activity(*dash, [&](const json& m) { return listed(m, "alice").first == 1; });
    ASSERT_FALSE(seen.is_null()) << "a stream closed on A, and B still lists it";

    // A is killed with alice's stream open: B forgets A after three heartbeats.
    a_->signal(SIGKILL);
    ASSERT_TRUE(a_->wait(std::chrono::milliseconds(10'000)).has_value());
    seen = await_activity(*dash, [&](const json& m) { return listed(m, "alice").first == 0; });
    ASSERT_FALSE(seen.is_null()) << "B still lists the moderator of a killed instance";
}

// Instance B alone loses the database (its role may no longer log in, its sessions are
// ended) while A keeps committing: the test cluster is shared by tests running in parallel,
// so the outage is one instance's, not a restart of the whole server.
class multi_instance_outage_test : public multi_instance_test {
protected:
    std::string url_for_b() override {
        auto admin = pg_connection::open(url_);
        EXPECT_TRUE(admin.is_ok());
        if (!admin) return {};
        admin_ = std::make_unique<pg_connection>(std::move(admin.value()));
        auto db = admin_->exec("SELECT current_database()");
        EXPECT_TRUE(db.is_ok());
        if (!db) return {};
        role_ = "b_" + db->text(0, 0);
        EXPECT_TRUE(admin_->run("CREATE ROLE " + role_ + " LOGIN SUPERUSER"));
        const auto at = url_.find("tribune@");
        EXPECT_NE(at, std::string::npos) << url_;
        if (at == std::string::npos) return {};
        return url_.substr(0, at) + role_ + url_.substr(at + std::string("tribune").size());
    }
    void cut_b() {
        ASSERT_TRUE(admin_->run("ALTER ROLE " + role_ + " NOLOGIN"));
        ASSERT_TRUE(admin_->run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE usename = '" + role_ + "'"));
    }
    void restore_b() { ASSERT_TRUE(admin_->run("ALTER ROLE " + role_ + " LOGIN")); }

    std::unique_ptr<pg_connection> admin_;
    std::string role_;
};

TEST_F(multi_instance_outage_test, an_instance_cut_off_answers_503_then_recovers_and_replays) {
    auto on_b = stream(*b_);
    ASSERT_NE(on_b, nullptr);
    auto snapshot = on_b->read_json();
    ASSERT_TRUE(snapshot.has_value());
    const std::int64_t from = (*snapshot)["seq"].get<std::int64_t>();
    std::vector<std::int64_t> acknowledged;
    auto before = post_question(*b_, {{"text", "Stored before the outage?"}});
    ASSERT_EQ(before.status, 201u) << before;
    acknowledged.push_back(id_of(before.body));
    ASSERT_NE(seq_of(read_until(*on_b, {acknowledged.back()}), acknowledged.back()), -1);

    cut_b();
    // B cannot commit: ingest answers 503 with Retry-After, never 201.
    http_response refused;
    for (int i = 0; i < 20; ++i) {
        refused = post_question(*b_, {{"text", "Posted to B while it is cut off?"}});
        if (refused.status == 503u) break;
        ASSERT_NE(refused.status, 201u) << "acknowledged without a database: " << refused;
    }
    EXPECT_EQ(refused.status, 503u) << refused;
    EXPECT_FALSE(refused.header("Retry-After").empty()) << refused;
    // A keeps committing; B's listener is gone, so these notifications never reach it.
    for (const char* text : {"Committed on A during the outage?", "And a second one, idiot?"}) {
        auto p = post_question(*a_, {{"text", text}});
        ASSERT_EQ(p.status, 201u) << p;
        acknowledged.push_back(id_of(p.body));
    }

    restore_b();
    // B recovers without a restart: the next posts are stored (it retries as told).
    http_response after;
    for (int i = 0; i < 100; ++i) {
        after = post_question(*b_, {{"text", "Stored after the outage?"}});
        if (after.status == 201u) break;
        ASSERT_EQ(after.status, 503u) << after;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(after.status, 201u) << after;
    acknowledged.push_back(id_of(after.body));

    // Nothing acknowledged is lost, and B's dashboard got every change, in order, without a
    // gap: what was committed while B was cut off was read back from the change table.
    auto list = http_call(b_->port(), http::verb::get, "/api/v1/events/demo/questions?limit=100",
                          {}, auth_);
    ASSERT_EQ(list.status, 200u) << list;
    for (std::int64_t id : acknowledged) {
        bool found = false;
        for (const json& q : list.body["items"]) found = found || id_of(q) == id;
        EXPECT_TRUE(found) << "acknowledged question " << id << " is missing";
    }
    const auto read = read_until(*on_b, {acknowledged.begin() + 1, acknowledged.end()});
    expect_numbered_from(read, from + 2);
    for (auto it = acknowledged.begin() + 1; it != acknowledged.end(); ++it)
        EXPECT_NE(seq_of(read, *it), -1) << "B's dashboard never saw question " << *it;
}

}  // namespace
}  // namespace tribune::test

// The live stream's activity message (docs/api.md "Live stream", view protocol): the
// moderators online for an event and its arrivals per minute, sent to the view streams that
// ask for it — right after their first answer, at once when the moderators change, and on
// the activity tick when the arrivals changed. Per-change streams never receive it.

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "server/live/arrival_counter.hpp"
#include "server/live/presence.hpp"
#include "server/wire/stream_codec.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// Long enough for any message the server owes; only a broken server makes a test wait it.
constexpr auto generous = 15s;
// A tick that never comes during a test: what arrives was sent at once, not by the tick.
constexpr auto no_tick = std::chrono::milliseconds(3'600'000);
constexpr auto fast_tick = 200ms;

// name -> {role, connections}, and the names in the order sent.
struct online {
    std::map<std::string, std::pair<std::string, std::int64_t>> by_name;
    std::vector<std::string> order;
};

online moderators_of(const json& activity) {
    online out;
    if (!activity.contains("moderators") || !activity["moderators"].is_array()) return out;
    for (const json& m : activity["moderators"]) {
        const std::string name = m.value("name", "");
        out.order.push_back(name);
        out.by_name[name] = {m.value("role", ""), m.value("connections", std::int64_t{-1})};
    }
    return out;
}

bool lists(const json& activity, const std::string& name, std::int64_t connections) {
    auto o = moderators_of(activity);
    auto it = o.by_name.find(name);
    return it != o.by_name.end() && it->second.second == connections;
}

bool lists(const json& activity, const std::string& name) {
    return moderators_of(activity).by_name.count(name) > 0;
}

std::int64_t arrivals_of(const json& activity) {
    return activity.value("arrivals_per_minute", std::int64_t{-1});
}

// Checks the members docs/api.md names for an activity message of `slug`.
void expect_activity_shape(const json& m, std::string_view slug) {
    EXPECT_EQ(m.value("type", ""), "activity") << m.dump();
    EXPECT_EQ(m.value("event", ""), slug) << m.dump();
    ASSERT_TRUE(m.contains("moderators") && m["moderators"].is_array()) << m.dump();
    for (const json& e : m["moderators"]) {
        EXPECT_TRUE(e.contains("name") && e["name"].is_string()) << e.dump();
        EXPECT_TRUE(e.value("role", "") == "moderator" || e.value("role", "") == "admin")
            << e.dump();
        EXPECT_TRUE(e.contains("connections") && e["connections"].is_number_integer() &&
                    e["connections"].get<std::int64_t>() >= 1)
            << e.dump();
    }
    auto o = moderators_of(m);
    EXPECT_TRUE(std::is_sorted(o.order.begin(), o.order.end()))
        << "not sorted by name: " << m.dump();
    EXPECT_EQ(o.order.size(), o.by_name.size()) << "a name listed twice: " << m.dump();
    EXPECT_TRUE(m.contains("arrivals_per_minute") && m["arrivals_per_minute"].is_number_integer())
        << m.dump();
}

class activity_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }

    void start_with(std::chrono::milliseconds activity_interval) {
        server_test::start_with([&](server::config& c) { c.activity_interval = activity_interval; });
    }

    std::string moderator(std::string_view name) { return token_for("moderator", name, "demo"); }

    // A dashboard: a view stream of demo with `token`, subscribed to every question.
    std::unique_ptr<ws_client> open_dashboard(const std::string& token, bool activity = true) {
        auto ws = open_stream("demo", "mode=view", bearer(token));
        if (ws == nullptr) return ws;
        json sub = {{"type", "subscribe"}, {"id", 1}, {"view", json::object()}, {"limit", 5}};
        if (activity) sub["activity"] = true;
        EXPECT_TRUE(ws->send_text(sub.dump()));
        return ws;
    }

    // Opens a dashboard and reads its first page and the activity that follows it.
    std::unique_ptr<ws_client> open_and_greet(const std::string& token, json* activity = nullptr) {
        auto ws = open_dashboard(token);
        if (ws == nullptr) return ws;
        auto snap = ws->read_json();
        EXPECT_TRUE(snap && snap->value("type", "") == "snapshot")
            << (snap ? snap->dump() : "nothing");
        auto a = ws->read_json();
        EXPECT_TRUE(a && a->value("type", "") == "activity") << (a ? a->dump() : "nothing");
        if (activity && a) *activity = *a;
        return ws;
    }

    // Reads until an activity message for which `want` holds; every message read goes into
    // `seen` when given. nullopt (and a test failure) when none comes within `timeout`.
    std::optional<json> await_activity(ws_client& ws, const std::function<bool(const json&)>& want,
                                       const std::string& what, std::vector<json>* seen = nullptr,
                                       std::chrono::milliseconds timeout = generous) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        json last;
        while (std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            if (!m) break;
            if (seen) seen->push_back(*m);
            if (m->value("type", "") != "activity") continue;
            last = *m;
            if (want(*m)) return m;
        }
        ADD_FAILURE() << "no activity message with " << what
                      << " within the timeout; last one: " << last.dump();
        return std::nullopt;
    }
};

// --- the pieces, without a server --------------------------------------------------------

TEST(activity_codec, the_message_is_exactly_the_documented_one) {
    std::vector<server::online_moderator> list = {{"alice", role::moderator, 2},
                                                  {"root", role::admin, 1}};
    EXPECT_EQ(
        server::activity_message("demo", list, 37),
        R"({"type":"activity","event":"demo","moderators":[{"name":"alice","role":"moderator","connections":2},{"name":"root","role":"admin","connections":1}],"arrivals_per_minute":37})");
    EXPECT_EQ(server::activity_message("demo", {}, 0),
              R"({"type":"activity","event":"demo","moderators":[],"arrivals_per_minute":0})");
    // Names are JSON strings, escaped.
    std::vector<server::online_moderator> odd = {{"a\"b", role::moderator, 1}};
    auto parsed = json::parse(server::activity_message("demo", odd, 0), nullptr, false);
    ASSERT_FALSE(parsed.is_discarded());
    EXPECT_EQ(parsed["moderators"][0]["name"], "a\"b");
}

// Another instance's listing (several instances on one database): its names are listed beside
// this instance's, malformed lines are skipped, an empty listing takes them off, and an
// instance not heard from within the TTL is forgotten at the next tick.
TEST(presence_listing, another_instances_names_are_merged_and_forgotten) {
    server::presence p;
    const auto moderators = [&] {
        return json::parse(p.activity("demo")->message)["moderators"];
    };
    EXPECT_EQ(p.local_listing(7'000), "");
    p.remote_listing("other", "demo\talice\t0\t2\nnot a line\ndemo\t\t1\t1\ndemo\tbob\tx\t1\n"
                              "demo\troot\t1\t0\nelse\tcarol\t0\t1\n");
    EXPECT_EQ(moderators(), json::parse(R"([{"name":"alice","role":"moderator","connections":2},
                                             {"name":"root","role":"admin","connections":1}])"));
    p.remote_listing("third", "demo\talice\t1\t0\n");
    EXPECT_EQ(moderators()[0], json::parse(R"({"name":"alice","role":"admin","connections":3})"));
    p.remote_listing("other", "");
    EXPECT_EQ(moderators(), json::parse(R"([{"name":"alice","role":"admin","connections":1}])"));
    p.set_remote_ttl(std::chrono::milliseconds(0));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    p.tick();
    EXPECT_EQ(moderators(), json::array());
}

TEST(activity_codec, a_subscribe_asks_for_activity_with_a_boolean) {
    auto on = server::decode_subscribe(json{{"type", "subscribe"}, {"activity", true}});
    ASSERT_TRUE(on.is_ok());
    EXPECT_TRUE(on->activity);
    auto off = server::decode_subscribe(json{{"type", "subscribe"}});
    ASSERT_TRUE(off.is_ok());
    EXPECT_FALSE(off->activity);
    auto bad = server::decode_subscribe(json{{"type", "subscribe"}, {"activity", "yes"}});
    ASSERT_FALSE(bad.is_ok());
    EXPECT_EQ(bad.error().code(), "invalid_field");
}

TEST(arrival_counter, counts_the_last_sixty_seconds_in_a_fixed_ring) {
    using clock = server::arrival_counter::clock;
    server::arrival_counter c;
    const clock::time_point t0 = clock::time_point(std::chrono::hours(1000));
    EXPECT_EQ(c.count(t0), 0u);
    for (int i = 0; i < 3; ++i) c.add(t0);
    c.add(t0 + 30s);
    c.add(t0 + 30s + 500ms);
    EXPECT_EQ(c.count(t0), 3u);
    EXPECT_EQ(c.count(t0 + 59s), 5u);
    EXPECT_EQ(c.count(t0 + 59s + 999ms), 5u);
    EXPECT_EQ(c.count(t0 + 60s), 2u) << "the first second left the window";
    EXPECT_EQ(c.count(t0 + 90s), 0u);
    // The slot of t0 is reused a minute later: the old count does not come back.
    c.add(t0 + 120s);
    EXPECT_EQ(c.count(t0 + 120s), 1u);
    // Many arrivals in one second are one bucket.
    for (int i = 0; i < 1000; ++i) c.add(t0 + 121s);
    EXPECT_EQ(c.count(t0 + 121s), 1001u);
}

// --- over the wire ------------------------------------------------------------------------

TEST_F(activity_test, a_dashboard_gets_the_activity_right_after_its_first_page) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    auto ws = open_dashboard(moderator("alice"));
    ASSERT_NE(ws, nullptr);
    ASSERT_FALSE(read_snapshot(*ws, "demo").is_null());
    auto a = ws->read_json();
    ASSERT_TRUE(a.has_value()) << "no activity after the snapshot";
    expect_activity_shape(*a, "demo");
    EXPECT_TRUE(lists(*a, "alice", 1)) << a->dump();
    EXPECT_EQ(moderators_of(*a).by_name["alice"].first, "moderator") << a->dump();
    EXPECT_EQ(arrivals_of(*a), 0) << a->dump();

    // A later subscribe on the same socket (a tab switch) answers with its snapshot only.
    ASSERT_TRUE(ws->send_text(
        R"({"type":"subscribe","id":2,"view":{"status":["pending"]},"activity":true})"));
    auto snap2 = ws->read_json();
    ASSERT_TRUE(snap2.has_value());
    EXPECT_EQ(snap2->value("type", ""), "snapshot") << snap2->dump();
    expect_silence(*ws);
}

TEST_F(activity_test, two_moderators_see_each_other_with_their_connection_counts) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    json first;
    auto alice1 = open_and_greet(moderator("alice"), &first);
    ASSERT_NE(alice1, nullptr);
    EXPECT_TRUE(lists(first, "alice", 1)) << first.dump();
    EXPECT_FALSE(lists(first, "bob")) << first.dump();

    auto alice2 = open_and_greet(moderator("alice"));
    json bob_first;
    auto bob = open_and_greet(moderator("bob"), &bob_first);
    ASSERT_NE(alice2, nullptr);
    ASSERT_NE(bob, nullptr);
    EXPECT_TRUE(lists(bob_first, "alice", 2)) << bob_first.dump();
    EXPECT_TRUE(lists(bob_first, "bob", 1)) << bob_first.dump();

    auto both = [](const json& a) { return lists(a, "alice", 2) && lists(a, "bob", 1); };
    auto seen1 = await_activity(*alice1, both, "alice x2 and bob x1");
    auto seen2 = await_activity(*alice2, both, "alice x2 and bob x1");
    ASSERT_TRUE(seen1 && seen2);
    expect_activity_shape(*seen1, "demo");
    EXPECT_EQ(moderators_of(*seen1).order, (std::vector<std::string>{"alice", "bob"}))
        << seen1->dump();
    for (const auto& [name, entry] : moderators_of(*seen1).by_name)
        EXPECT_EQ(entry.first, "moderator") << name;
}

TEST_F(activity_test, a_closed_stream_leaves_the_list_at_once) {
    // No tick: the message can only come from the leave itself.
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    auto alice = open_and_greet(moderator("alice"));
    auto bob = open_and_greet(moderator("bob"));
    ASSERT_NE(alice, nullptr);
    ASSERT_NE(bob, nullptr);
    ASSERT_TRUE(await_activity(
                    *alice, [](const json& a) { return lists(a, "bob", 1); }, "bob")
                    .has_value());

    bob->close();
    auto after = await_activity(
        *alice, [](const json& a) { return !lists(a, "bob"); }, "bob gone");
    ASSERT_TRUE(after.has_value());
    EXPECT_TRUE(lists(*after, "alice", 1)) << after->dump();
    expect_activity_shape(*after, "demo");
}

TEST_F(activity_test, per_change_streams_count_as_connections_and_admins_are_listed_as_admins) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    auto alice = open_and_greet(moderator("alice"));
    ASSERT_NE(alice, nullptr);

    // bob on the per-change protocol: listed, and it gets its snapshot and nothing else.
    auto bob = open_snapshot("demo", "", bearer(moderator("bob")));
    ASSERT_TRUE(bob);
    ASSERT_TRUE(await_activity(
                    *alice, [](const json& a) { return lists(a, "bob", 1); }, "bob")
                    .has_value());

    // The same name with an admin token: one entry, two connections, role admin.
    auto carol_mod = open_stream("demo", "", bearer(moderator("carol")));
    auto carol_admin = open_stream("demo", "", bearer(token_for("admin", "carol")));
    ASSERT_NE(carol_mod, nullptr);
    ASSERT_NE(carol_admin, nullptr);
    auto a = await_activity(
        *alice, [](const json& m) { return lists(m, "carol", 2); }, "carol x2");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(moderators_of(*a).by_name["carol"].first, "admin") << a->dump();
    EXPECT_EQ(moderators_of(*a).order, (std::vector<std::string>{"alice", "bob", "carol"}))
        << a->dump();

    ASSERT_FALSE(read_snapshot(*carol_mod, "demo").is_null());
    expect_silence(*bob);
    expect_silence(*carol_mod);
}

TEST_F(activity_test, executives_and_api_clients_are_not_listed) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    auto alice = open_and_greet(moderator("alice"));
    ASSERT_NE(alice, nullptr);
    // An api client gets no stream at all (access_rules). An executive gets a view stream of
    // approved and answered questions, but is not a moderator online.
    std::string error;
    auto bridge = ws_client::connect(port(), "/api/v1/events/demo/stream?mode=view", &error,
                                     default_ws_timeout, bearer(token_for("api_client", "bridge")));
    EXPECT_EQ(bridge, nullptr) << "an api client opened a stream";
    EXPECT_NE(error.find("HTTP 403"), std::string::npos) << error;
    auto exec = ws_client::connect(port(), "/api/v1/events/demo/stream?mode=view", &error,
                                   default_ws_timeout, bearer(token_for("executive", "exec")));
    ASSERT_NE(exec, nullptr) << error;
    // The next change of the list (bob joins) shows only the moderators.
    auto bob = open_and_greet(moderator("bob"));
    ASSERT_NE(bob, nullptr);
    auto a = await_activity(
        *alice, [](const json& m) { return lists(m, "bob"); }, "bob");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(moderators_of(*a).order, (std::vector<std::string>{"alice", "bob"})) << a->dump();
}

TEST_F(activity_test, a_revoked_token_leaves_the_list_at_once) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    auto alice = open_and_greet(moderator("alice"));
    ASSERT_NE(alice, nullptr);
    auto made = post("/api/v1/tokens", {{"name", "dave"}, {"role", "moderator"}});
    ASSERT_EQ(made.status, 201u) << made;
    auto dave = open_dashboard(made.body.value("token", ""));
    ASSERT_NE(dave, nullptr);
    ASSERT_TRUE(await_activity(
                    *alice, [](const json& a) { return lists(a, "dave", 1); }, "dave")
                    .has_value());

    ASSERT_EQ(call(http::verb::delete_,
                   "/api/v1/tokens/" + std::to_string(made.body.value("id", std::int64_t{0})))
                  .status,
              200u);
    ASSERT_TRUE(await_activity(
                    *alice, [](const json& a) { return !lists(a, "dave"); }, "dave gone")
                    .has_value());
    for (int i = 0; i < 40 && !dave->ended(); ++i) dave->read_json(250ms);
    EXPECT_TRUE(dave->ended()) << "the revoked stream is still open";
}

TEST_F(activity_test, arrivals_per_minute_reach_the_number_of_questions_posted_on_the_tick) {
    ASSERT_NO_FATAL_FAILURE(start_with(fast_tick));
    json first;
    auto alice = open_and_greet(moderator("alice"), &first);
    ASSERT_NE(alice, nullptr);
    EXPECT_EQ(arrivals_of(first), 0) << first.dump();

    constexpr int n = 7;
    const json pending = post_text("demo", review_text);
    for (int i = 1; i < n; ++i) post_text("demo", "Arrival number " + std::to_string(i) + "?");
    ASSERT_FALSE(HasFailure());
    // A decision is a change but not an arrival.
    decide(id_of(pending), "approve", "alice");

    std::vector<json> seen;
    auto a = await_activity(
        *alice, [](const json& m) { return arrivals_of(m) == n; },
        "arrivals_per_minute " + std::to_string(n), &seen);
    ASSERT_TRUE(a.has_value());
    expect_activity_shape(*a, "demo");
    EXPECT_TRUE(lists(*a, "alice", 1)) << a->dump();
    // A few more ticks: the count stays at n (the decision is not counted).
    const auto until = std::chrono::steady_clock::now() + 5 * fast_tick;
    while (std::chrono::steady_clock::now() < until)
        if (auto m = alice->read_json(fast_tick)) seen.push_back(*m);
    for (const json& m : seen) {
        if (m.value("type", "") == "activity") {
            EXPECT_LE(arrivals_of(m), n) << m.dump();
        }
    }

    // A dashboard opened now starts with the current count.
    json late;
    auto bob = open_and_greet(moderator("bob"), &late);
    ASSERT_NE(bob, nullptr);
    EXPECT_EQ(arrivals_of(late), n) << late.dump();
}

TEST_F(activity_test, per_change_streams_and_dashboards_that_did_not_ask_never_receive_activity) {
    ASSERT_NO_FATAL_FAILURE(start_with(fast_tick));
    auto per_change = open_snapshot("demo", "", bearer(moderator("pat")));
    ASSERT_TRUE(per_change);
    auto quiet_view = open_dashboard(moderator("quentin"), /*activity=*/false);
    ASSERT_NE(quiet_view, nullptr);
    ASSERT_FALSE(read_snapshot(*quiet_view, "demo").is_null());
    // The witness asks for activity: once it has seen the arrivals, they were published.
    auto witness = open_and_greet(moderator("wendy"));
    ASSERT_NE(witness, nullptr);

    constexpr int n = 3;
    for (int i = 0; i < n; ++i) post_text("demo", "Question " + std::to_string(i) + "?");
    ASSERT_FALSE(HasFailure());
    // The list changes too: a moderator joins and leaves.
    auto victor = open_and_greet(moderator("victor"));
    ASSERT_NE(victor, nullptr);
    victor->close();
    // One wait for the final state: the message that reports 3 arrivals may already be the one
    // without victor (a second wait would then block for a message that never comes).
    ASSERT_TRUE(await_activity(
                    *witness,
                    [](const json& m) { return arrivals_of(m) == n && !lists(m, "victor"); },
                    "arrivals_per_minute 3 and victor gone")
                    .has_value());

    // The per-change stream got its n changes and nothing else.
    auto changes = read_changes(*per_change, n);
    EXPECT_EQ(changes.size(), static_cast<std::size_t>(n));
    expect_silence(*per_change, 3 * fast_tick);
    // The view stream that did not ask got frames only.
    while (auto m = quiet_view->read_json(3 * fast_tick))
        EXPECT_EQ(m->value("type", ""), "frame") << m->dump();
}

// A client whose socket is full (stalled_ws_client): the activities published meanwhile
// wait as one, the newest, instead of queueing (the view queue's cap would cut the client).
TEST_F(activity_test, a_stalled_dashboard_keeps_only_the_newest_activity) {
    ASSERT_NO_FATAL_FAILURE(start_with(no_tick));
    // A first page of about a megabyte: more than the server's socket buffer and the
    // client's together, so its write stays in flight while nobody reads.
    const std::string long_text(1900, 'x');
    {
        http_connection c(port());
        ASSERT_TRUE(c.connected());
        for (int i = 0; i < 500; ++i) {
            auto r =
                c.request(http::verb::post, "/api/v1/events/demo/questions",
                          json{{"text", "Question " + std::to_string(i) + " " + long_text}}.dump(),
                          bearer(admin_token()));
            ASSERT_EQ(r.status, 201u) << r;
        }
    }
    stalled_ws_client alice(port(), "/api/v1/events/demo/stream?mode=view",
                            R"({"type":"subscribe","id":1,"view":{},"limit":500,"activity":true})",
                            moderator("alice"));
    ASSERT_TRUE(alice.ok());
    // alice is listed from her handshake on.
    json greeting;
    auto watcher = open_and_greet(moderator("watcher"), &greeting);
    ASSERT_NE(watcher, nullptr);
    ASSERT_TRUE(lists(greeting, "alice", 1)) << greeting.dump();
    // Give the server a moment to read her subscribe and start writing her page (were it
    // slower, the test would pass without proving much).
    std::this_thread::sleep_for(1s);
    // Far more publications than the view queue's cap (8), while alice's socket is full.
    for (int i = 0; i < 20; ++i) {
        auto bob = open_stream("demo", "mode=view", bearer(moderator("bob")));
        ASSERT_NE(bob, nullptr);
        ASSERT_TRUE(await_activity(
                        *watcher, [](const json& m) { return lists(m, "bob"); }, "bob")
                        .has_value());
        bob->close();
        ASSERT_TRUE(await_activity(
                        *watcher, [](const json& m) { return !lists(m, "bob"); }, "bob gone")
                        .has_value());
    }
    auto bob = open_stream("demo", "mode=view", bearer(moderator("bob")));
    ASSERT_NE(bob, nullptr);
    ASSERT_TRUE(await_activity(
                    *watcher, [](const json& m) { return lists(m, "bob", 1); }, "bob")
                    .has_value());

    auto got = alice.read_for(5s);
    ASSERT_FALSE(got.empty()) << "alice was cut off";
    EXPECT_EQ(got.front().value("type", ""), "snapshot");
    std::vector<json> activities;
    for (const json& m : got)
        if (m.value("type", "") == "activity") activities.push_back(m);
    ASSERT_EQ(activities.size(), 1u) << "activities queued instead of replaced";
    EXPECT_TRUE(lists(activities.front(), "bob", 1))
        << "not the newest: " << activities.front().dump();
    EXPECT_TRUE(lists(activities.front(), "alice", 1)) << activities.front().dump();
}

}  // namespace
}  // namespace tribune::test

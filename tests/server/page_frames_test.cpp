// Page frames (docs/api.md "Page frames"): a view-protocol subscription with "page": true
// gets frames that carry only what changes its first page, plus the page as ids; the client
// that applies them holds exactly the database's first page, with exact counts, after
// creations, decisions that take questions out of the page, and a refill from the database.
// Also the per-session byte cap: a client that stops reading gets a resync, not a backlog.

#include <set>
#include <thread>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// A page subscriber's copy of its page, built only from what the server sent.
struct page_copy {
    std::map<std::int64_t, json> held;  // by id, newest version
    std::vector<std::int64_t> page;     // ids in order
    json counts;
    json next_cursor;
    std::int64_t seq = -1;
    int frames = 0;
    std::size_t most_upserts = 0;  // in one frame
    std::vector<json> removals;
    std::vector<std::string> problems;

    void apply(const json& m) {
        const std::string type = m.value("type", "");
        if (type == "snapshot") {
            held.clear();
            page.clear();
            for (const json& q : m["items"]) {
                held[id_of(q)] = q;
                page.push_back(id_of(q));
            }
            counts = m["counts"];
            next_cursor = m["next_cursor"];
            seq = m["seq"].get<std::int64_t>();
            return;
        }
        if (type != "frame") return;  // activity and the like
        ++frames;
        if (m["prev"].get<std::int64_t>() != seq)
            problems.push_back("frame continues from " + m["prev"].dump() + ", client at " + std::to_string(seq));
        seq = m["seq"].get<std::int64_t>();
        counts = m["counts"];
        std::size_t upserts = 0;
        for (const json& c : m["changes"]) {
            const json& q = c["question"];
            auto it = held.find(id_of(q));
            if (it != held.end() && it->second["version"].get<std::int64_t>() > q["version"].get<std::int64_t>())
                continue;
            held[id_of(q)] = q;
            if (c["op"] == "upsert") ++upserts;
            if (c["op"] == "remove") removals.push_back(c);
        }
        most_upserts = std::max(most_upserts, upserts);
        if (!m.contains("page")) {
            problems.push_back("a page frame without its page: " + m.dump().substr(0, 200));
            return;
        }
        page = m["page"].get<std::vector<std::int64_t>>();
        next_cursor = m["next_cursor"];
        for (std::int64_t id : page)
            if (!held.contains(id)) problems.push_back("page names " + std::to_string(id) + ", never sent");
    }
};

class page_frames_test : public server_test {
  protected:
    static constexpr const char* states[] = {"pending", "held", "approved", "rejected", "auto_rejected", "answered"};

    std::unique_ptr<ws_client> open_page(const json& view, int limit, page_copy& copy) {
        auto ws = open_stream("demo", "mode=view");
        if (ws == nullptr) return ws;
        json sub = {{"type", "subscribe"}, {"id", 7}, {"view", view}, {"limit", limit}, {"page", true}};
        EXPECT_TRUE(ws->send_text(sub.dump()));
        auto m = ws->read_json(default_ws_timeout);
        if (!m || (*m)["type"] != "snapshot") {
            ADD_FAILURE() << "no snapshot";
            return nullptr;
        }
        copy.apply(*m);
        return ws;
    }

    void read_to(ws_client& ws, page_copy& copy, std::int64_t seq) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (copy.seq < seq && std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(5s);
            if (!m) break;
            copy.apply(*m);
        }
        EXPECT_GE(copy.seq, seq) << "the stream stopped short";
    }

    // The page as the question list shows it now, and where the list continues.
    std::pair<std::vector<std::int64_t>, json> db_page(const std::string& query, int limit) {
        auto r = get("/api/v1/events/demo/questions?limit=" + std::to_string(limit) + query);
        EXPECT_EQ(r.status, 200u) << r;
        std::vector<std::int64_t> ids;
        for (const json& q : r.body["items"]) ids.push_back(id_of(q));
        return {ids, r.body["next_cursor"]};
    }

    // Whether the client's page is the list's first page now, with the same counts.
    bool matches_db(const page_copy& copy, const std::string& query, int limit) {
        auto [ids, next] = db_page(query, limit);
        if (copy.page != ids || copy.next_cursor != next) return false;
        auto ev = get("/api/v1/events/demo");
        for (const char* s : states)
            if (copy.counts.value(s, std::int64_t{-1}) != ev.body["counts"].value(s, std::int64_t{0})) return false;
        return true;
    }

    // Reads frames until the client's page is the database's, then checks it in full. On
    // SQLite a change is in the hub before its 201 or 200 is sent; on PostgreSQL it reaches
    // the hub through LISTEN a moment later, possibly after the client's snapshot was read,
    // so a count of frames since the snapshot cannot say when the page is complete.
    void read_until_exact(ws_client& ws, page_copy& copy, const std::string& query, int limit) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!matches_db(copy, query, limit) && std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(200ms);
            if (m) copy.apply(*m);
        }
        expect_exact(copy, query, limit);
    }

    void expect_exact(const page_copy& copy, const std::string& query, int limit) {
        EXPECT_TRUE(copy.problems.empty()) << copy.problems.front();
        auto [ids, next] = db_page(query, limit);
        EXPECT_EQ(copy.page, ids) << "the client's page is the database's";
        EXPECT_EQ(copy.next_cursor, next) << "the list continues where the page ends";
        for (std::int64_t id : copy.page) {
            auto it = copy.held.find(id);
            if (it == copy.held.end()) continue;
            EXPECT_EQ(it->second["version"], get_question(id)["version"]) << "question " << id;
        }
        auto ev = get("/api/v1/events/demo");
        for (const char* s : states)
            EXPECT_EQ(copy.counts.value(s, std::int64_t{-1}), ev.body["counts"].value(s, std::int64_t{0})) << s;
    }
};

TEST_F(page_frames_test, a_page_frame_carries_only_its_page_and_the_page_stays_exact) {
    page_copy page;
    auto ws = open_page(json::object(), 3, page);
    ASSERT_NE(ws, nullptr);
    const std::int64_t base = page.seq;

    // From several connections at once: frames gather many creations, of which only the
    // newest three are on the page.
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t)
        posters.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i)
                post_text("demo", "Question " + std::to_string(t * 10 + i) + " about the budget?");
        });
    for (auto& t : posters) t.join();
    read_to(*ws, page, base + 40);
    EXPECT_LE(page.most_upserts, 3u) << "a frame carries at most the page's questions";
    EXPECT_LT(page.frames, 40) << "40 creations in fewer frames";
    expect_exact(page, "", 3);
    ASSERT_EQ(page.page.size(), 3u);
}

TEST_F(page_frames_test, questions_leaving_the_page_are_replaced_from_the_reserve_and_the_database) {
    // Approved questions only; the page is 3, the server's window 6.
    const json view = {{"status", {"approved"}}};
    std::vector<std::int64_t> approved;
    for (int i = 0; i < 10; ++i) {
        json q = post_text("demo", "What is the plan for the park number " + std::to_string(i) + "?");
        if (q["status"] == "approved") approved.push_back(id_of(q));
    }
    ASSERT_GE(approved.size(), 9u) << "the placeholder classifier approves clean questions";
    page_copy page;
    auto ws = open_page(view, 3, page);
    ASSERT_NE(ws, nullptr);
    const std::int64_t base = page.seq;
    read_until_exact(*ws, page, "&status=approved", 3);

    // A creation first, so that the hub holds the page before the decisions.
    json fresh = post_text("demo", "And the park by the river?");
    read_until_exact(*ws, page, "&status=approved", 3);
    ASSERT_EQ(page.page.front(), id_of(fresh));
    // Take the newest two off the page: the next two come up from the window's reserve.
    decide(approved[approved.size() - 1], "reject", "alice");
    decide(id_of(fresh), "reject", "alice");
    read_until_exact(*ws, page, "&status=approved", 3);
    EXPECT_FALSE(page.removals.empty()) << "a question that left the view from the page: its removal";
    for (const json& r : page.removals) EXPECT_EQ(r["question"]["status"], "rejected");

    // Five more: the window runs out and is read again from the database.
    for (int i = 2; i < 7; ++i) decide(approved[approved.size() - i], "reject", "bob");
    read_until_exact(*ws, page, "&status=approved", 3);
    EXPECT_GE(page.seq, base + 8) << "one change for the creation and each of the seven decisions";
    ASSERT_EQ(page.page.size(), 3u);
    EXPECT_EQ(page.page.front(), approved[approved.size() - 7]);
}

TEST_F(page_frames_test, an_impact_page_follows_groups_that_grow_and_are_decided_below_and_on_it) {
    // The dashboard's Review tab: pending and held by impact. The placeholder classifier sends
    // texts with "idiot" to review; each topic is a group of its own.
    const json view = {{"status", {"pending", "held"}}, {"sort", "impact"}};
    const std::string query = "&status=pending,held&sort=impact";
    auto text = [](const std::string& topic) { return "Why is the minister such an idiot about " + topic + "?"; };
    std::vector<std::int64_t> singles;
    for (const char* topic : {"pensions", "taxes", "fees", "rents"}) {
        json q = post_text("demo", text(topic));
        ASSERT_EQ(q["status"], "pending") << q.dump();
        singles.push_back(id_of(q));
    }
    page_copy page;
    auto ws = open_page(view, 2, page);
    ASSERT_NE(ws, nullptr);
    EXPECT_EQ(page.page, (std::vector<std::int64_t>{singles[3], singles[2]})) << "four groups of one: newest first";
    const int frames_before = page.frames;

    // The oldest group grows below the page until it leads: its members take the page, and the
    // frames carry at most the page.
    json rt1 = post_text("demo", "RT @a: " + text("pensions"));
    json rt2 = post_text("demo", "@b " + text("pensions") + " #AskJPM");
    ASSERT_EQ(rt1["cluster"]["id"], rt2["cluster"]["id"]);
    read_until_exact(*ws, page, query, 2);
    EXPECT_EQ(page.page, (std::vector<std::int64_t>{id_of(rt2), id_of(rt1)}));
    EXPECT_GT(page.frames, frames_before) << "page frames, not snapshots";
    EXPECT_LE(page.most_upserts, 2u) << "a frame carries at most the page's questions";
    for (std::int64_t id : page.page)
        EXPECT_EQ(page.held[id]["cluster"]["in_review"], 3) << "the page shows its groups' numbers as they are";

    // Another group grows to two below the page: not on it, but the page's group numbers stay.
    post_text("demo", "RT @c: " + text("taxes"));
    read_until_exact(*ws, page, query, 2);
    EXPECT_EQ(page.page, (std::vector<std::int64_t>{id_of(rt2), id_of(rt1)}));

    // Deciding the leading group takes it off the page: removals, and the next group comes up.
    for (std::int64_t id : {id_of(rt2), id_of(rt1), singles[0]}) decide(id, "reject", "alice");
    read_until_exact(*ws, page, query, 2);
    EXPECT_FALSE(page.removals.empty()) << "a question that left the view from the page: its removal";
    ASSERT_EQ(page.page.size(), 2u);
    EXPECT_EQ(page.held[page.page[0]]["cluster"]["in_review"], 2) << "the taxes group leads now";
}

TEST_F(page_frames_test, a_client_behind_on_an_impact_page_gets_the_group_numbers_that_moved_without_a_new_version) {
    const json view = {{"status", {"pending", "held"}}, {"sort", "impact"}};
    auto text = [](const std::string& topic) { return "Why is the minister such an idiot about " + topic + "?"; };
    json pensions = post_text("demo", text("pensions"));
    ASSERT_EQ(pensions["status"], "pending") << pensions.dump();
    post_text("demo", text("taxes"));
    // A client that acks: after its snapshot nothing comes until it acks, so it is behind.
    auto ws = open_stream("demo", "mode=view");
    ASSERT_NE(ws, nullptr);
    json sub = {{"type", "subscribe"}, {"id", 7}, {"view", view}, {"limit", 2}, {"page", true}, {"ack", true}};
    ASSERT_TRUE(ws->send_text(sub.dump()));
    page_copy page;
    auto snap = ws->read_json(default_ws_timeout);
    ASSERT_TRUE(snap && (*snap)["type"] == "snapshot");
    page.apply(*snap);
    ASSERT_EQ(page.held[id_of(pensions)]["cluster"]["in_review"], 1);

    // The pensions group grows: it leads the page, and its first question, still on the page at
    // the same version, now shows a group of two in review.
    json rt = post_text("demo", "RT @a: " + text("pensions"));
    ASSERT_EQ(rt["cluster"]["id"], pensions["cluster"]["id"]);
    std::this_thread::sleep_for(300ms);  // the hub's page has moved on past the client's
    ASSERT_TRUE(ws->send_text(json{{"type", "ack"}, {"seq", page.seq}}.dump()));
    const std::int64_t target = page.seq + 1;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (page.seq < target && std::chrono::steady_clock::now() < deadline) {
        auto m = ws->read_json(5s);
        if (!m) break;
        page.apply(*m);
        if ((*m)["type"] == "frame") {
            ASSERT_TRUE(ws->send_text(json{{"type", "ack"}, {"seq", page.seq}}.dump()));
        }
    }
    ASSERT_GE(page.seq, target) << "the stream stopped short";
    EXPECT_EQ(page.page, (std::vector<std::int64_t>{id_of(rt), id_of(pensions)}));
    EXPECT_EQ(page.held[id_of(pensions)]["version"], pensions["version"]);
    EXPECT_EQ(page.held[id_of(pensions)]["cluster"]["in_review"], 2) << "the client was left with its group's old numbers";
}

TEST_F(page_frames_test, an_impact_view_beyond_review_states_gets_ordinary_frames) {
    // Its page would have to be sorted from the whole event at every tick: no page frames.
    auto ws = open_stream("demo", "mode=view");
    ASSERT_NE(ws, nullptr);
    json sub = {{"type", "subscribe"}, {"id", 7}, {"view", {{"status", {"approved"}}, {"sort", "impact"}}},
                {"limit", 3}, {"page", true}};
    ASSERT_TRUE(ws->send_text(sub.dump()));
    auto snap = ws->read_json(default_ws_timeout);
    ASSERT_TRUE(snap && (*snap)["type"] == "snapshot");
    json q = post_text("demo", "What is the plan for the harbour?");
    ASSERT_EQ(q["status"], "approved") << q.dump();
    std::optional<json> frame;
    for (int i = 0; i < 10 && !(frame && (*frame)["type"] == "frame"); ++i) frame = ws->read_json(5s);
    ASSERT_TRUE(frame && (*frame)["type"] == "frame");
    EXPECT_FALSE(frame->contains("page")) << frame->dump().substr(0, 300);
    ASSERT_EQ((*frame)["changes"].size(), 1u);
    EXPECT_EQ((*frame)["changes"][0]["question"]["id"], q["id"]);
}

TEST_F(page_frames_test, a_client_that_acks_gets_no_frame_before_its_ack_then_the_newest_page) {
    auto ws = open_stream("demo", "mode=view");
    ASSERT_NE(ws, nullptr);
    json sub = {{"type", "subscribe"}, {"id", 7}, {"view", json::object()}, {"limit", 3}, {"page", true}, {"ack", true}};
    ASSERT_TRUE(ws->send_text(sub.dump()));
    page_copy page;
    auto snap = ws->read_json(default_ws_timeout);
    ASSERT_TRUE(snap && (*snap)["type"] == "snapshot");
    page.apply(*snap);
    const std::int64_t base = page.seq;

    for (int i = 0; i < 12; ++i) post_text("demo", "Question " + std::to_string(i) + " about the tram?");
    // Unacknowledged, the snapshot holds every frame back (the changes above are numbered
    // well within this wait; a server that sent frames anyway would have sent one by now).
    auto early = ws->read_json(1500ms);
    EXPECT_FALSE(early && (*early)["type"] == "frame") << "a frame before the ack: " << early->dump().substr(0, 200);

    // The ack: the next frame continues from the snapshot with the newest page, and no more
    // than the page's questions; each later frame waits for its own ack.
    ASSERT_TRUE(ws->send_text(json{{"type", "ack"}, {"seq", base}}.dump()));
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (page.seq < base + 12 && std::chrono::steady_clock::now() < deadline) {
        auto m = ws->read_json(5s);
        if (!m) break;
        page.apply(*m);
        if ((*m)["type"] == "frame") {
            ASSERT_TRUE(ws->send_text(json{{"type", "ack"}, {"seq", page.seq}}.dump()));
        }
    }
    ASSERT_GE(page.seq, base + 12) << "the stream stopped short";
    EXPECT_GE(page.frames, 1);
    EXPECT_LE(page.most_upserts, 3u);
    expect_exact(page, "", 3);
}

TEST_F(page_frames_test, a_reader_that_stops_is_resynced_at_the_byte_cap_not_the_message_cap) {
    // The change cap out of reach: only the bytes waiting can trigger the resync.
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) {
        c.ws_send_queue_limit = 1'000'000;
        c.ws_send_queue_bytes = 64 * 1024;
    }));
    json sub = {{"type", "subscribe"}, {"id", 1}, {"view", json::object()}, {"limit", 50}};
    stalled_ws_client stalled(port(), "/api/v1/events/demo/stream?mode=view", sub.dump(), admin_token());
    ASSERT_TRUE(stalled.ok());

    std::vector<std::string> texts;
    for (int i = 0; i < 1000; ++i)
        texts.push_back("Question " + std::to_string(i) + " " + std::string(1800, 'x') + "?");
    // In two parts: the first part's frame is still unfinished on the stalled socket when
    // the second part's changes arrive and wait.
    auto post_range = [&](std::size_t from, std::size_t to) {
        std::vector<std::thread> pool;
        for (int t = 0; t < 8; ++t)
            pool.emplace_back([&, t] {
                for (std::size_t i = from + t; i < to; i += 8) post_text("demo", texts[i]);
            });
        for (auto& t : pool) t.join();
    };
    // A client reading along, to know when the server has handed every change to the
    // sessions: on PostgreSQL they reach it after the 201s (pg_change_listener reads each one
    // back), and a stalled client that started reading before they did would catch up frame
    // by frame with nothing left to resync.
    page_copy watched;
    auto watcher = open_page(json::object(), 1, watched);
    ASSERT_NE(watcher, nullptr);
    post_range(0, 300);
    std::this_thread::sleep_for(400ms);
    post_range(300, 1000);
    read_to(*watcher, watched, 1000);
    std::this_thread::sleep_for(200ms);  // the stalled session's strand takes the last ones

    int snapshots = 0;
    std::int64_t seq = -1;
    const bool caught_up = stalled.read_until(
        [&](const json& m) {
            if (m.value("type", "") == "snapshot") ++snapshots;
            if (m.contains("seq")) seq = m["seq"].get<std::int64_t>();
            return snapshots >= 2;
        },
        30s);
    EXPECT_TRUE(caught_up) << "the stalled client got a fresh snapshot (" << snapshots << " snapshots, at seq "
                           << seq << ")";
}

}  // namespace
}  // namespace tribune::test

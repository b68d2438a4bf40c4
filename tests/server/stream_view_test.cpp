// The live stream's view protocol (docs/api.md "Live stream", `?mode=view`): a client
// subscribes to a view, gets its first page, then frames that carry only the changes for the
// view (upsert / remove), coalesced under a flood, with exact counts per state; resume with
// since/epoch; a client that never reads slows neither ingest nor other clients.

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <boost/asio/ip/tcp.hpp>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// A subscriber's copy of its view, built only from what the server sent: the questions it
// holds by id, the counts, the seq it has reached, and every change entry in arrival order.
struct view_state {
    std::map<std::int64_t, json> items;
    json counts;
    std::int64_t seq = -1;
    std::string epoch;
    int snapshots = 0;
    int frames = 0;
    std::vector<json> changes;  // entries of every frame, in order
    std::vector<std::string> problems;

    // Applies one server message; returns its type.
    std::string apply(const json& m) {
        const std::string type = m.value("type", "");
        if (type == "snapshot") {
            ++snapshots;
            items.clear();
            for (const json& q : m["items"]) items[id_of(q)] = q;
            counts = m["counts"];
            seq = m["seq"].get<std::int64_t>();
            epoch = m["epoch"].get<std::string>();
        } else if (type == "frame") {
            ++frames;
            if (m["prev"].get<std::int64_t>() != seq)
                problems.push_back("frame continues from " + m["prev"].dump() + ", client is at " +
                                   std::to_string(seq));
            if (m["seq"].get<std::int64_t>() <= seq && !m["changes"].empty())
                problems.push_back("frame does not advance seq: " + m.dump().substr(0, 200));
            seq = m["seq"].get<std::int64_t>();
            counts = m["counts"];
            for (const json& c : m["changes"]) {
                changes.push_back(c);
                const json& q = c["question"];
                auto it = items.find(id_of(q));
                const bool newer = it == items.end() ||
                                   it->second["version"].get<std::int64_t>() <=
                                       q["version"].get<std::int64_t>();
                if (c["op"] == "upsert" && newer) items[id_of(q)] = q;
                else if (c["op"] == "remove" && newer && it != items.end()) items.erase(it);
            }
        } else {
            problems.push_back("unexpected message: " + m.dump().substr(0, 200));
        }
        return type;
    }

    std::int64_t count(const char* status) const {
        return counts.is_object() ? counts.value(status, std::int64_t{0}) : -1;
    }
};

view_state with_counts(const json& counts) {
    view_state s;
    s.counts = counts;
    return s;
}

std::string subscribe_message(const json& view, int limit, std::int64_t id = 1,
                              std::optional<std::int64_t> since = std::nullopt,
                              const std::string& epoch = "") {
    json m = {{"type", "subscribe"}, {"id", id}, {"view", view}, {"limit", limit}};
    if (since) {
        m["since"] = *since;
        m["epoch"] = epoch;
    }
    return m.dump();
}

class stream_view_test : public server_test {
protected:
    std::unique_ptr<ws_client> open_view(std::string_view slug, const json& view, int limit = 50,
                                         std::string_view query = "") {
        std::string q = "mode=view";
        if (!query.empty()) q += "&" + std::string(query);
        auto ws = open_stream(slug, q);
        if (ws == nullptr) return ws;
        EXPECT_TRUE(ws->send_text(subscribe_message(view, limit)));
        return ws;
    }

    // open_view(), then its snapshot read into `state`; nullptr (and the test failed) when
    // either did not work.
    std::unique_ptr<ws_client> open_view_at(std::string_view slug, const json& view,
                                            view_state& state, int limit = 50) {
        auto ws = open_view(slug, view, limit);
        if (ws == nullptr) return ws;
        const std::string first = read_into(*ws, state);
        EXPECT_EQ(first, "snapshot");
        return first == "snapshot" ? std::move(ws) : nullptr;
    }

    // Reads one message into `state`; fails the test when none arrives in time.
    std::string read_into(ws_client& ws, view_state& state,
                          std::chrono::milliseconds timeout = default_ws_timeout) {
        auto m = ws.read_json(timeout);
        if (!m) {
            ADD_FAILURE() << "no message within the timeout (client at seq " << state.seq << ")";
            return {};
        }
        return state.apply(*m);
    }

    // Reads until the client's seq reaches `seq`.
    void read_until_seq(ws_client& ws, view_state& state, std::int64_t seq,
                        std::chrono::milliseconds timeout = 30s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (state.seq < seq && std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(5s);
            if (!m) break;
            state.apply(*m);
        }
        EXPECT_GE(state.seq, seq) << "the stream stopped short";
    }

    json db_counts(std::string_view slug) {
        auto ev = get("/api/v1/events/" + std::string(slug));
        EXPECT_EQ(ev.status, 200u) << ev;
        return ev.body["counts"];
    }

    void expect_counts_equal(const view_state& state, const json& db) {
        for (const char* s : {"pending", "held", "approved", "rejected", "auto_rejected", "answered"})
            EXPECT_EQ(state.count(s), db.value(s, std::int64_t{0})) << s << ": stream "
                                                                    << state.counts.dump()
                                                                    << " vs database " << db.dump();
    }

    // Posts `texts` from `threads` keep-alive connections at once; returns the ids in the
    // order of `texts` (0 where a post failed, which fails the test).
    std::vector<std::int64_t> post_many(std::string_view slug, const std::vector<std::string>& texts,
                                        int threads = 8) {
        std::vector<std::int64_t> ids(texts.size(), 0);
        std::atomic<std::size_t> next{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> pool;
        const std::string target = "/api/v1/events/" + std::string(slug) + "/questions";
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&] {
                std::unique_ptr<http_connection> c;
                for (std::size_t i = next++; i < texts.size(); i = next++) {
                    for (int attempt = 0; attempt < 50; ++attempt) {
                        if (!c || !c->connected()) c = std::make_unique<http_connection>(port());
                        auto r = c->request(http::verb::post, target, json{{"text", texts[i]}}.dump(),
                                            bearer(admin_token()));
                        if (r.status == 201) {
                            ids[i] = id_of(r.body);
                            break;
                        }
                        c.reset();  // a transport error or 503: reconnect and retry shortly
                        std::this_thread::sleep_for(20ms);
                    }
                    if (ids[i] == 0) ++failures;
                }
            });
        }
        for (auto& t : pool) t.join();
        EXPECT_EQ(failures.load(), 0) << "posts that never got 201";
        return ids;
    }
};

TEST_F(stream_view_test, nothing_is_sent_before_a_subscribe_and_bad_subscribes_get_an_error) {
    auto ws = open_stream("demo", "mode=view");
    ASSERT_NE(ws, nullptr);
    expect_silence(*ws);
    post_text("demo", clean_text);
    expect_silence(*ws);

    ASSERT_TRUE(ws->send_text(R"({"type":"subscribe","view":{"status":["nope"]}})"));
    auto e1 = ws->read_json();
    ASSERT_TRUE(e1.has_value());
    EXPECT_EQ((*e1)["type"], "error") << e1->dump();
    EXPECT_EQ((*e1)["error"]["code"], "invalid_status") << e1->dump();
    ASSERT_TRUE(ws->send_text(R"({"type":"subscribe","view":{"sort":"loudest"}})"));
    auto e2 = ws->read_json();
    ASSERT_TRUE(e2.has_value());
    EXPECT_EQ((*e2)["error"]["code"], "invalid_field") << e2->dump();
    ASSERT_TRUE(ws->send_text(R"({"type":"subscribe","limit":0})"));
    auto e3 = ws->read_json();
    ASSERT_TRUE(e3.has_value());
    EXPECT_EQ((*e3)["error"]["code"], "invalid_limit") << e3->dump();
    ASSERT_TRUE(ws->send_text("not json"));
    ASSERT_TRUE(ws->send_text(R"({"type":"ping"})"));
    expect_silence(*ws);

    // A good subscribe after the bad ones works.
    ASSERT_TRUE(ws->send_text(subscribe_message(json::object(), 10)));
    json snap = read_snapshot(*ws, "demo");
    ASSERT_FALSE(snap.is_null());
    EXPECT_EQ(snap["items"].size(), 1u) << snap.dump();
    EXPECT_EQ(snap["subscription"], 1);
}

// A "type" that is not a string is a message of another kind, ignored like a ping (reading
// it as a string would throw inside the read handler and take the server down).
TEST_F(stream_view_test, a_message_whose_type_is_not_a_string_is_ignored) {
    auto ws = open_stream("demo", "mode=view");
    ASSERT_NE(ws, nullptr);
    ASSERT_TRUE(ws->send_text(R"({"type":5})"));
    ASSERT_TRUE(ws->send_text(R"({"type":["subscribe"],"view":{}})"));
    ASSERT_TRUE(ws->send_text(R"({"type":null})"));
    expect_silence(*ws);
    EXPECT_EQ(get("/healthz").status, 200u);
    ASSERT_TRUE(ws->send_text(subscribe_message(json::object(), 10)));
    EXPECT_FALSE(read_snapshot(*ws, "demo").is_null());
}

TEST_F(stream_view_test, the_first_page_follows_the_views_filter_and_sort_and_pages_on_over_http) {
    create_event("townhall", false);
    view_state s0;
    auto sentinel = open_view_at("townhall", json::object(), s0);
    ASSERT_NE(sentinel, nullptr);

    json clean = post_text("townhall", clean_text);             // approved, low scores
    json idiot = post_text("townhall", review_text);            // pending, insult 0.80
    json threat = post_text("townhall", reject_text);           // auto_rejected, threat 0.95
    json stupid = post_text("townhall", "Is this stupid plan final?");  // pending
    ASSERT_FALSE(HasFailure());
    read_until_seq(*sentinel, s0, s0.seq + 4);

    // Every state, most severe first, two a page.
    auto ws = open_view("townhall", {{"sort", "severity"}}, 2);
    ASSERT_NE(ws, nullptr);
    json snap = read_snapshot(*ws, "townhall");
    ASSERT_FALSE(snap.is_null());
    ASSERT_EQ(snap["items"].size(), 2u) << snap.dump();
    EXPECT_EQ(id_of(snap["items"][0]), id_of(threat)) << snap.dump();
    EXPECT_EQ(snap["view"]["sort"], "severity");
    ASSERT_TRUE(snap["next_cursor"].is_string()) << snap.dump();
    EXPECT_EQ(snap["seq"].get<std::int64_t>(), s0.seq) << "the page is labelled with the position";
    expect_counts_equal(with_counts(snap["counts"]), db_counts("townhall"));

    // The REST list continues the same view from the snapshot's cursor.
    auto rest = get("/api/v1/events/townhall/questions?sort=severity&limit=10&cursor=" +
                    url_encode(snap["next_cursor"].get<std::string>()));
    ASSERT_EQ(rest.status, 200u) << rest;
    std::set<std::int64_t> seen = {id_of(snap["items"][0]), id_of(snap["items"][1])};
    for (const json& q : rest.body["items"]) EXPECT_TRUE(seen.insert(id_of(q)).second) << q.dump();
    EXPECT_EQ(seen, (std::set<std::int64_t>{id_of(clean), id_of(idiot), id_of(threat), id_of(stupid)}));

    // A filtered view: pending only, insult of at least 0.5.
    ASSERT_TRUE(ws->send_text(subscribe_message(
        {{"status", {"pending"}}, {"attribute", "insult"}, {"min_score", 0.5}, {"max_score", 1}}, 50, 2)));
    json snap2 = read_snapshot(*ws, "townhall");
    ASSERT_FALSE(snap2.is_null());
    EXPECT_EQ(snap2["subscription"], 2);
    std::set<std::int64_t> ids;
    for (const json& q : snap2["items"]) {
        ids.insert(id_of(q));
        EXPECT_EQ(q["status"], "pending") << q.dump();
        EXPECT_GE(q["scores"]["insult"].get<double>(), 0.5) << q.dump();
    }
    EXPECT_TRUE(ids.count(id_of(idiot))) << snap2.dump();
    EXPECT_FALSE(ids.count(id_of(clean))) << snap2.dump();
    EXPECT_TRUE(snap2["next_cursor"].is_null()) << snap2.dump();
    expect_silence(*ws);
}

TEST_F(stream_view_test, a_filtered_view_gets_only_its_changes_and_a_removal_when_one_leaves) {
    view_state all, pending;
    auto all_ws = open_view("demo", json::object());
    auto ws = open_view("demo", {{"status", {"pending"}}, {"attribute", "insult"}, {"min_score", 0.5}});
    ASSERT_NE(all_ws, nullptr);
    ASSERT_NE(ws, nullptr);
    ASSERT_EQ(read_into(*all_ws, all), "snapshot");
    ASSERT_EQ(read_into(*ws, pending), "snapshot");
    const std::int64_t base = pending.seq;

    json clean = post_text("demo", clean_text);            // approved: not in the view
    json insult = post_text("demo", review_text);          // pending, insult 0.80: enters
    json threat = post_text("demo", reject_text);          // auto_rejected: not in the view
    json approved = decide(id_of(insult), "approve", "alice");  // leaves the view
    json other = post_text("demo", "Another clean question?");  // approved: not in the view
    ASSERT_FALSE(HasFailure());

    read_until_seq(*all_ws, all, base + 5);
    read_until_seq(*ws, pending, base + 5);
    EXPECT_TRUE(pending.problems.empty()) << pending.problems.front();
    ASSERT_EQ(pending.changes.size(), 2u) << json(pending.changes).dump();
    EXPECT_EQ(pending.changes[0]["op"], "upsert");
    EXPECT_EQ(pending.changes[0]["change"], "created");
    EXPECT_EQ(id_of(pending.changes[0]["question"]), id_of(insult));
    EXPECT_EQ(pending.changes[1]["op"], "remove");
    EXPECT_EQ(pending.changes[1]["from"], "pending");
    EXPECT_EQ(pending.changes[1]["actor"], "alice");
    EXPECT_EQ(pending.changes[1]["question"]["status"], "approved");
    EXPECT_EQ(id_of(pending.changes[1]["question"]), id_of(insult));
    EXPECT_EQ(pending.changes[1]["seq"].get<std::int64_t>(), base + 4);
    EXPECT_TRUE(pending.items.empty()) << "the question left the view";

    // Counts are the event's, whatever the view.
    expect_counts_equal(pending, db_counts("demo"));
    expect_counts_equal(all, db_counts("demo"));
    ASSERT_EQ(all.changes.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(all.changes[i]["op"], "upsert");
        EXPECT_EQ(all.changes[i]["seq"].get<std::int64_t>(), base + 1 + static_cast<std::int64_t>(i));
    }
    (void)threat;
    (void)approved;
    (void)other;
}

TEST_F(stream_view_test, a_search_view_matches_changes_by_words) {
    view_state found;
    auto ws = open_view_at("demo", {{"q", "minister"}}, found);
    ASSERT_NE(ws, nullptr);
    const std::int64_t base = found.seq;
    json a = post_text("demo", clean_text);
    json b = post_text("demo", review_text);  // "...the minister such an idiot?"
    json c = post_text("demo", "The Minister said yes, when?");
    read_until_seq(*ws, found, base + 3);
    std::vector<std::int64_t> got;
    for (const json& ch : found.changes) got.push_back(id_of(ch["question"]));
    EXPECT_EQ(got, (std::vector<std::int64_t>{id_of(b), id_of(c)}));
    (void)a;
}

TEST_F(stream_view_test, a_burst_of_1000_questions_arrives_in_far_fewer_frames_with_exact_counts) {
    view_state state;
    auto ws = open_view_at("demo", {{"status", {"pending", "held"}}}, state, 50);
    ASSERT_NE(ws, nullptr);
    const std::int64_t base = state.seq;

    std::vector<std::string> texts;
    for (int i = 0; i < 1000; ++i)
        texts.push_back(i % 3 == 0 ? "Burst " + std::to_string(i) + ": why is he an idiot?"
                                   : "Burst question number " + std::to_string(i) + "?");
    const auto started = std::chrono::steady_clock::now();
    auto ids = post_many("demo", texts);
    const auto posted = std::chrono::steady_clock::now();
    read_until_seq(*ws, state, base + 1000, 60s);
    const auto received = std::chrono::steady_clock::now();
    EXPECT_TRUE(state.problems.empty()) << state.problems.front();

    // Exactly the burst's changes that concern the view, each once, in seq order.
    std::set<std::int64_t> want;
    for (std::size_t i = 0; i < texts.size(); i += 3) want.insert(ids[i]);  // pending ones
    std::set<std::int64_t> got;
    std::int64_t last = base;
    for (const json& c : state.changes) {
        EXPECT_GT(c["seq"].get<std::int64_t>(), last) << "out of order";
        last = c["seq"].get<std::int64_t>();
        EXPECT_TRUE(got.insert(id_of(c["question"])).second) << "twice: " << c.dump().substr(0, 200);
    }
    EXPECT_EQ(got, want);
    expect_counts_equal(state, db_counts("demo"));
    EXPECT_EQ(state.count("approved"), 666);
    // Far fewer frames than changes, and no more than the coalescing rate (about 10 a second)
    // allows over the time the burst took to arrive — so a slower machine (a sanitizer build)
    // gets a proportionally larger allowance, never a flaky failure.
    const auto took_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(received - started).count();
    EXPECT_LT(state.frames, 500) << "frames for 1,000 changes";
    EXPECT_LE(state.frames, took_ms / 100 + 10)
        << "more than ~10 frames a second: " << state.frames << " frames in " << took_ms << " ms";
    RecordProperty("frames", state.frames);
    std::cout << "[ stream ] 1000 changes in " << state.frames << " frames; posting took "
              << std::chrono::duration_cast<std::chrono::milliseconds>(posted - started).count()
              << " ms\n";
}

TEST_F(stream_view_test, a_client_that_never_reads_delays_neither_ingest_nor_another_client) {
    // Changes a view may have waiting behind an unfinished write before it resyncs: well
    // above what a reading client accumulates during one write (commits come in batches of
    // at most 256), below the burst a stalled client misses.
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) { c.ws_send_queue_limit = 600; }));

    stalled_ws_client stalled(port(), "/api/v1/events/demo/stream?mode=view",
                              subscribe_message(json::object(), 50), admin_token());
    ASSERT_TRUE(stalled.ok());
    view_state reader;
    auto ws = open_view_at("demo", json::object(), reader, 50);
    ASSERT_NE(ws, nullptr);
    const std::int64_t base = reader.seq;

    // Long texts, so that what waits for the stalled socket is far more than it can buffer.
    std::vector<std::string> texts;
    for (int i = 0; i < 1000; ++i)
        texts.push_back("Question " + std::to_string(i) + " " + std::string(1800, 'x') + "?");
    // In two parts, a few frame intervals apart: the first part's frame (over 500 KB) is
    // still unfinished on the stalled socket when the second part's 700 changes arrive. Sent
    // at once, a fast server can commit the whole burst before the next frame is due and send
    // it as one frame to an idle socket, which never needs a resync.
    auto ids = post_many("demo", std::vector<std::string>(texts.begin(), texts.begin() + 300));
    std::this_thread::sleep_for(400ms);
    const auto rest = post_many("demo", std::vector<std::string>(texts.begin() + 300, texts.end()));
    ids.insert(ids.end(), rest.begin(), rest.end());
    for (std::int64_t id : ids) EXPECT_GT(id, 0);

    read_until_seq(*ws, reader, base + 1000, 60s);
    EXPECT_TRUE(reader.problems.empty()) << reader.problems.front();
    std::set<std::int64_t> got;
    for (const json& c : reader.changes) got.insert(id_of(c["question"]));
    EXPECT_EQ(got, std::set<std::int64_t>(ids.begin(), ids.end())) << "the reader got every change";
    const json db = db_counts("demo");
    expect_counts_equal(reader, db);

    // The stalled client, reading at last, catches up exactly: through a fresh snapshot once
    // it fell behind, or (if it never did) through an unbroken chain of frames. It may also
    // have been cut, in which case a reconnect resumes it; here it was not.
    view_state late;
    const bool caught_up = stalled.read_until(
        [&](const json& m) {
            late.apply(m);
            return late.seq >= base + 1000;
        },
        30s);
    if (caught_up) {
        EXPECT_TRUE(late.problems.empty()) << late.problems.front();
        expect_counts_equal(late, db);
        EXPECT_GE(late.snapshots, 1);
        std::cout << "[ stream ] stalled client: " << late.snapshots << " snapshots, " << late.frames
                  << " frames, " << late.changes.size() << " changes\n";
        EXPECT_GE(late.snapshots, 2) << "a client hundreds of changes behind gets a fresh snapshot";
    } else {
        EXPECT_TRUE(stalled.ended()) << "neither caught up nor disconnected";
    }
}

TEST_F(stream_view_test, resume_gets_exactly_the_missed_changes_in_a_frame_and_no_snapshot) {
    create_event("townhall", true);
    view_state s0;
    auto sentinel = open_view_at("townhall", json::object(), s0);
    ASSERT_NE(sentinel, nullptr);
    json first = post_text("townhall", "Before the disconnect?");
    read_until_seq(*sentinel, s0, s0.seq + 1);

    const json review = {{"status", {"pending", "held"}}};
    view_state state;
    auto ws = open_view_at("townhall", review, state);
    ASSERT_NE(ws, nullptr);
    const std::int64_t seq = state.seq;
    ws->close();

    // Missed while disconnected: two creations and one decision that removes `first`.
    json q1 = post_text("townhall", "Missed question one?");
    json q2 = post_text("townhall", review_text);
    decide(id_of(first), "approve", "alice", "fine");
    read_until_seq(*sentinel, s0, seq + 3);  // every change is numbered before the reconnect
    ASSERT_FALSE(HasFailure());

    auto resumed = open_stream("townhall", "mode=view");
    ASSERT_NE(resumed, nullptr);
    ASSERT_TRUE(resumed->send_text(subscribe_message(review, 50, 7, seq, state.epoch)));
    auto f = resumed->read_json();
    ASSERT_TRUE(f.has_value());
    ASSERT_EQ((*f)["type"], "frame") << "a resume is not a snapshot: " << f->dump().substr(0, 300);
    EXPECT_EQ((*f)["subscription"], 7);
    EXPECT_EQ((*f)["prev"].get<std::int64_t>(), seq);
    EXPECT_EQ((*f)["seq"].get<std::int64_t>(), seq + 3);
    const json& ch = (*f)["changes"];
    ASSERT_EQ(ch.size(), 3u) << f->dump();
    EXPECT_EQ(ch[0]["seq"].get<std::int64_t>(), seq + 1);
    EXPECT_EQ(ch[0]["op"], "upsert");
    EXPECT_EQ(ch[0]["change"], "created");
    EXPECT_EQ(id_of(ch[0]["question"]), id_of(q1));
    EXPECT_EQ(ch[1]["seq"].get<std::int64_t>(), seq + 2);
    EXPECT_EQ(id_of(ch[1]["question"]), id_of(q2));
    EXPECT_EQ(ch[2]["seq"].get<std::int64_t>(), seq + 3);
    EXPECT_EQ(ch[2]["op"], "remove");
    EXPECT_EQ(ch[2]["change"], "updated");
    EXPECT_EQ(ch[2]["from"], "held");
    EXPECT_EQ(ch[2]["actor"], "alice");
    EXPECT_EQ(id_of(ch[2]["question"]), id_of(first));
    expect_counts_equal(with_counts((*f)["counts"]), db_counts("townhall"));
    expect_silence(*resumed);

    // Live changes continue the sequence in the next frame.
    json q3 = post_text("townhall", "After the resume?");
    auto f2 = resumed->read_json();
    ASSERT_TRUE(f2.has_value());
    EXPECT_EQ((*f2)["type"], "frame");
    EXPECT_EQ((*f2)["prev"].get<std::int64_t>(), seq + 3);
    ASSERT_EQ((*f2)["changes"].size(), 1u) << f2->dump();
    EXPECT_EQ(id_of((*f2)["changes"][0]["question"]), id_of(q3));
    EXPECT_EQ((*f2)["changes"][0]["seq"].get<std::int64_t>(), seq + 4);
    read_until_seq(*sentinel, s0, seq + 4);
    resumed->close();

    // Resuming through the URL's since/epoch works the same; nothing missed sends nothing.
    auto current = open_stream("townhall", "mode=view&since=" + std::to_string(seq + 4) +
                                               "&epoch=" + url_encode(state.epoch));
    ASSERT_NE(current, nullptr);
    ASSERT_TRUE(current->send_text(subscribe_message(review, 50)));
    expect_silence(*current);
    post_text("townhall", "One more?");
    auto f3 = current->read_json();
    ASSERT_TRUE(f3.has_value());
    EXPECT_EQ((*f3)["type"], "frame") << f3->dump().substr(0, 300);
    EXPECT_EQ((*f3)["prev"].get<std::int64_t>(), seq + 4);
    EXPECT_EQ((*f3)["seq"].get<std::int64_t>(), seq + 5);
}

TEST_F(stream_view_test, resume_with_a_wrong_epoch_a_seq_ahead_or_too_old_gets_a_snapshot) {
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) { c.history_per_event = 3; }));

    view_state s0;
    auto sentinel = open_view_at("demo", json::object(), s0);
    ASSERT_NE(sentinel, nullptr);
    const std::int64_t seq = s0.seq;
    json q = post_text("demo", review_text);
    read_until_seq(*sentinel, s0, seq + 1);

    auto resume = [&](std::int64_t since, const std::string& epoch) {
        auto ws = open_stream("demo", "mode=view");
        EXPECT_NE(ws, nullptr);
        if (ws == nullptr) return json();
        EXPECT_TRUE(ws->send_text(subscribe_message(json::object(), 50, 3, since, epoch)));
        json snap = read_snapshot(*ws, "demo");
        expect_silence(*ws, 200ms);
        return snap;
    };
    json s1 = resume(seq, s0.epoch + "x");
    EXPECT_EQ(s1["seq"].get<std::int64_t>(), seq + 1) << s1.dump().substr(0, 300);
    EXPECT_EQ(s1["epoch"], s0.epoch);
    ASSERT_EQ(s1["items"].size(), 1u);
    EXPECT_EQ(id_of(s1["items"][0]), id_of(q));
    json s2 = resume(seq + 100, s0.epoch);
    EXPECT_EQ(s2["seq"].get<std::int64_t>(), seq + 1);

    for (int i = 0; i < 6; ++i) post_text("demo", "Missed " + std::to_string(i) + " idiot?");
    read_until_seq(*sentinel, s0, seq + 7);
    json s3 = resume(seq, s0.epoch);  // the history holds only the last 3
    EXPECT_EQ(s3["seq"].get<std::int64_t>(), seq + 7);
    EXPECT_EQ(s3["items"].size(), 7u);
}

}  // namespace
}  // namespace tribune::test

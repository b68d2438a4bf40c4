// The live stream: snapshot content, sequence numbers, and resuming with since/epoch
// (docs/api.md "Live stream").

#include <map>
#include <set>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using stream_test = server_test;

std::string since_query(std::int64_t seq, const std::string& epoch) {
    return "since=" + std::to_string(seq) + "&epoch=" + url_encode(epoch);
}

TEST_F(stream_test, snapshot_has_the_review_queue_newest_first_and_counts_per_status) {
    create_event("townhall", true);
    auto sentinel = open_snapshot("townhall");
    ASSERT_TRUE(sentinel);
    json held1 = post_text("townhall", "First clean question?");
    json pending1 = post_text("townhall", review_text);
    json rejected1 = post_text("townhall", reject_text);
    json held2 = post_text("townhall", "Second clean question?");
    json approved1 = post_text("townhall", "Third clean question?");
    json pending2 = post_text("townhall", "Is this stupid plan final?");
    json rejected2 = post_text("townhall", "Fourth clean question?");
    ASSERT_FALSE(HasFailure());
    decide(id_of(approved1), "approve", "alice");
    decide(id_of(rejected2), "reject", "alice");
    read_changes(*sentinel, 9);  // every change numbered before the snapshot below
    ASSERT_FALSE(HasFailure());

    auto ws = open_snapshot("townhall");
    ASSERT_TRUE(ws);
    const json& snap = ws.snapshot;

    std::vector<std::int64_t> ids;
    for (const auto& item : snap["items"]) {
        ASSERT_NO_FATAL_FAILURE(expect_question_shape(item));
        ids.push_back(id_of(item));
        EXPECT_TRUE(item["status"] == "pending" || item["status"] == "held") << item.dump();
    }
    // Queue = pending and held, newest first.
    std::vector<std::int64_t> expected = {id_of(pending2), id_of(held2), id_of(pending1),
                                          id_of(held1)};
    EXPECT_EQ(ids, expected) << snap["items"].dump();

    const json& counts = snap["counts"];
    auto count = [&](const char* s) {
        return counts.contains(s) ? counts[s].get<std::int64_t>() : std::int64_t{0};
    };
    EXPECT_EQ(count("pending"), 2) << counts.dump();
    EXPECT_EQ(count("held"), 2) << counts.dump();
    EXPECT_EQ(count("approved"), 1) << counts.dump();
    EXPECT_EQ(count("rejected"), 1) << counts.dump();
    EXPECT_EQ(count("auto_rejected"), 1) << counts.dump();
    EXPECT_EQ(count("answered"), 0) << counts.dump();

    // The event's counts over HTTP agree.
    auto ev = get("/api/v1/events/townhall");
    ASSERT_EQ(ev.status, 200u) << ev;
    for (const char* s : {"pending", "held", "approved", "rejected", "auto_rejected"})
        EXPECT_EQ(ev.body["counts"].value(s, std::int64_t{0}), count(s)) << s << ": " << ev;
    expect_silence(*ws);
}

TEST_F(stream_test, snapshot_is_limited_to_snapshot_limit_newest_items) {
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) { c.snapshot_limit = 3; }));
    create_event("townhall", true);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(id_of(post_text("townhall", "Question number " + std::to_string(i))));
    auto ws = open_stream("townhall");
    ASSERT_NE(ws, nullptr);
    json snap = read_snapshot(*ws, "townhall");
    ASSERT_EQ(snap["items"].size(), 3u) << snap.dump();
    EXPECT_EQ(id_of(snap["items"][0]), ids[4]);
    EXPECT_EQ(id_of(snap["items"][2]), ids[2]);
    EXPECT_EQ(snap["counts"].value("held", std::int64_t{0}), 5) << "counts are not limited";
}

TEST_F(stream_test, seq_increases_by_one_per_change_and_streams_are_per_event) {
    create_event("other", false);
    auto ws = open_stream("demo");
    auto other_ws = open_stream("other");
    ASSERT_NE(ws, nullptr);
    ASSERT_NE(other_ws, nullptr);
    json snap = read_snapshot(*ws, "demo");
    ASSERT_FALSE(read_snapshot(*other_ws, "other").is_null());
    ASSERT_FALSE(snap.is_null());
    std::int64_t seq = snap["seq"].get<std::int64_t>();

    json a = post_text("demo", review_text);
    json b = post_text("demo", clean_text);
    decide(id_of(a), "approve", "alice");
    for (int i = 0; i < 3; ++i) {
        json m = read_change(*ws);
        ASSERT_FALSE(m.is_null());
        EXPECT_EQ(m["seq"].get<std::int64_t>(), ++seq) << m.dump();
    }
    expect_silence(*other_ws, std::chrono::milliseconds(200));
}

TEST_F(stream_test, resume_with_since_and_epoch_gets_exactly_the_missed_messages) {
    create_event("townhall", true);
    // The sentinel stays connected so that every change is numbered before a reconnect.
    auto sentinel = open_snapshot("townhall");
    ASSERT_TRUE(sentinel);
    json first = post_text("townhall", "Before the disconnect?");
    read_changes(*sentinel, 1);

    auto ws = open_snapshot("townhall");
    ASSERT_TRUE(ws);
    const json& snap = ws.snapshot;
    const auto seq = snap["seq"].get<std::int64_t>();
    const auto epoch = snap["epoch"].get<std::string>();
    ws->close();

    // Missed while disconnected: two creations and one decision.
    json q1 = post_text("townhall", "Missed question one?");
    json q2 = post_text("townhall", review_text);
    decide(id_of(first), "approve", "alice", "fine");
    read_changes(*sentinel, 3);
    ASSERT_FALSE(HasFailure());

    auto resumed = open_stream("townhall", since_query(seq, epoch));
    ASSERT_NE(resumed, nullptr);
    json m1 = read_change(*resumed);
    json m2 = read_change(*resumed);
    json m3 = read_change(*resumed);
    ASSERT_FALSE(HasFailure()) << "expected three change messages and no snapshot";
    EXPECT_EQ(m1["seq"].get<std::int64_t>(), seq + 1);
    EXPECT_EQ(m1["change"], "created");
    EXPECT_EQ(id_of(m1["question"]), id_of(q1));
    EXPECT_EQ(m2["seq"].get<std::int64_t>(), seq + 2);
    EXPECT_EQ(m2["change"], "created");
    EXPECT_EQ(id_of(m2["question"]), id_of(q2));
    EXPECT_EQ(m3["seq"].get<std::int64_t>(), seq + 3);
    EXPECT_EQ(m3["change"], "updated");
    EXPECT_EQ(m3["from"], "held");
    EXPECT_EQ(m3["actor"], "alice");
    EXPECT_EQ(id_of(m3["question"]), id_of(first));
    expect_silence(*resumed);

    // Live changes continue the sequence.
    json q3 = post_text("townhall", "After the resume?");
    read_changes(*sentinel, 1);
    json m4 = read_change(*resumed);
    EXPECT_EQ(m4["seq"].get<std::int64_t>(), seq + 4);
    EXPECT_EQ(id_of(m4["question"]), id_of(q3));
    resumed->close();

    // Resuming from the middle gets only the tail.
    auto tail = open_stream("townhall", since_query(seq + 2, epoch));
    ASSERT_NE(tail, nullptr);
    json t1 = read_change(*tail);
    json t2 = read_change(*tail);
    EXPECT_EQ(t1["seq"].get<std::int64_t>(), seq + 3);
    EXPECT_EQ(t2["seq"].get<std::int64_t>(), seq + 4);
    expect_silence(*tail);
    tail->close();

    // Resuming when nothing was missed sends nothing until the next change.
    auto current = open_stream("townhall", since_query(seq + 4, epoch));
    ASSERT_NE(current, nullptr);
    expect_silence(*current);
    post_text("townhall", "One more?");
    json c1 = read_change(*current);
    EXPECT_EQ(c1["seq"].get<std::int64_t>(), seq + 5);
}

TEST_F(stream_test, resume_with_a_wrong_epoch_or_a_seq_ahead_gets_a_snapshot) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    const json& snap = ws.snapshot;
    const auto seq = snap["seq"].get<std::int64_t>();
    const auto epoch = snap["epoch"].get<std::string>();
    json q = post_text("demo", review_text);
    read_changes(*ws, 1);  // numbered before the reconnects below

    auto wrong_epoch = open_stream("demo", since_query(seq, epoch + "x"));
    ASSERT_NE(wrong_epoch, nullptr);
    json s1 = read_snapshot(*wrong_epoch, "demo");
    EXPECT_EQ(s1["seq"].get<std::int64_t>(), seq + 1) << s1.dump();
    EXPECT_EQ(s1["epoch"], epoch);
    ASSERT_EQ(s1["items"].size(), 1u) << s1.dump();
    EXPECT_EQ(id_of(s1["items"][0]), id_of(q));
    expect_silence(*wrong_epoch);

    auto ahead = open_stream("demo", since_query(seq + 100, epoch));
    ASSERT_NE(ahead, nullptr);
    json s2 = read_snapshot(*ahead, "demo");
    EXPECT_EQ(s2["seq"].get<std::int64_t>(), seq + 1) << s2.dump();
    expect_silence(*ahead);
}

TEST_F(stream_test, resume_from_a_seq_older_than_the_history_gets_a_snapshot) {
    ASSERT_NO_FATAL_FAILURE(restart_with([](server::config& c) { c.history_per_event = 3; }));

    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    const json& snap = ws.snapshot;
    const auto seq = snap["seq"].get<std::int64_t>();
    const auto epoch = snap["epoch"].get<std::string>();
    for (int i = 0; i < 6; ++i) post_text("demo", "Missed " + std::to_string(i) + " idiot?");
    read_changes(*ws, 6);  // numbered before the reconnect below

    auto old = open_stream("demo", since_query(seq, epoch));
    ASSERT_NE(old, nullptr);
    json s = read_snapshot(*old, "demo");
    EXPECT_EQ(s["seq"].get<std::int64_t>(), seq + 6) << s.dump();
    EXPECT_EQ(s["items"].size(), 6u) << s.dump();
    expect_silence(*old);
}

TEST_F(stream_test, a_restarted_server_has_a_new_epoch_and_answers_an_old_one_with_a_snapshot) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    const json& snap = ws.snapshot;
    const auto epoch = snap["epoch"].get<std::string>();
    const auto seq = snap["seq"].get<std::int64_t>();
    ws->close();
    json q = post_text("demo", review_text);

    stop();
    ASSERT_NO_FATAL_FAILURE(start_default());
    auto again = open_stream("demo", since_query(seq, epoch));
    ASSERT_NE(again, nullptr);
    json s = read_snapshot(*again, "demo");
    EXPECT_NE(s["epoch"], epoch) << "epoch identifies the server run";
    ASSERT_EQ(s["items"].size(), 1u) << s.dump();
    EXPECT_EQ(id_of(s["items"][0]), id_of(q)) << "the queue survives a restart";
}

TEST_F(stream_test, client_messages_are_ignored) {
    auto ws = open_snapshot("demo");
    ASSERT_TRUE(ws);
    EXPECT_TRUE(ws->send_text(R"({"type":"ping"})"));
    EXPECT_TRUE(ws->send_text("not json at all"));
    json q = post_text("demo", clean_text);
    json m = read_change(*ws);
    EXPECT_EQ(id_of(m["question"]), id_of(q));
}

TEST_F(stream_test, stream_of_an_unknown_event_is_refused) {
    std::string error;
    auto ws = ws_client::connect(port(), "/api/v1/events/no-such-event/stream", &error,
                                 default_ws_timeout, bearer(admin_token()));
    if (ws == nullptr) {
        EXPECT_NE(error.find("404"), std::string::npos) << error;
        return;
    }
    // Accepting the upgrade and then closing is acceptable too; a snapshot is not.
    auto m = ws->read_json(std::chrono::milliseconds(2000));
    EXPECT_FALSE(m.has_value()) << "stream of an unknown event sent " << m->dump();
}

TEST_F(stream_test, many_clients_each_receive_every_change_in_order) {
    constexpr int clients = 5;
    constexpr int posts = 10;
    std::vector<std::unique_ptr<ws_client>> wss;
    std::vector<std::int64_t> seqs;
    for (int i = 0; i < clients; ++i) {
        wss.push_back(open_stream("demo"));
        ASSERT_NE(wss.back(), nullptr);
        json s = read_snapshot(*wss.back(), "demo");
        ASSERT_FALSE(s.is_null());
        seqs.push_back(s["seq"].get<std::int64_t>());
    }
    std::vector<std::int64_t> ids;
    for (int i = 0; i < posts; ++i)
        ids.push_back(id_of(post_text("demo", "Broadcast " + std::to_string(i) + "?")));
    for (int c = 0; c < clients; ++c) {
        for (int i = 0; i < posts; ++i) {
            json m = read_change(*wss[static_cast<std::size_t>(c)]);
            ASSERT_FALSE(m.is_null()) << "client " << c << " message " << i;
            EXPECT_EQ(m["seq"].get<std::int64_t>(), seqs[static_cast<std::size_t>(c)] + i + 1);
            EXPECT_EQ(id_of(m["question"]), ids[static_cast<std::size_t>(i)]);
        }
    }
}

}  // namespace
}  // namespace tribune::test

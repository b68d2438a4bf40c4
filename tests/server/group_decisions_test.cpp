// Issue 10 over HTTP and the live stream: a decision covers its near-duplicate group now and
// later (docs/api.md "A decision covers its group"), the policy's canonical and inheritance
// members, and sort=impact for the list and the view.
//
// Scores come from the placeholder classifier: "idiot" -> insult 0.80 (review), texts without
// a listed word score 0 (approved).

#include <string>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class group_decisions_test : public server_test {
protected:
    void SetUp() override {
        server_test::SetUp();
        if (HasFatalFailure()) return;
        create_event("askjpm", false);
    }
    json decisions_of(std::int64_t id) {
        auto r = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
        EXPECT_EQ(r.status, 200u) << r;
        return r.body;
    }
    http_response put_policy(const json& body) {
        return call(http::verb::put, "/api/v1/events/askjpm/policy", body.dump());
    }
};

const std::string question_text = "Why is the minister such an idiot about the overdraft fees?";

TEST_F(group_decisions_test, a_retweet_of_a_rejected_question_is_auto_rejected_naming_the_group) {
    // The first question's two changes are read from a stream opened before them, so that the
    // stream opened below starts after them (on PostgreSQL they reach the hub through NOTIFY,
    // possibly after a snapshot taken right after the decision's answer).
    auto before = open_snapshot("askjpm");
    ASSERT_TRUE(before);
    json first = post_text("askjpm", question_text);
    ASSERT_EQ(first["status"], "pending") << first.dump();
    const std::int64_t group = first["cluster"]["id"].get<std::int64_t>();
    decide(id_of(first), "reject", "alice");
    ASSERT_EQ(read_changes(*before, 2).size(), 2u);

    auto ws = open_snapshot("askjpm");
    ASSERT_TRUE(ws);
    json rt = post_text("askjpm", "RT @bob: " + question_text + " #AskJPM https://t.co/x1");
    EXPECT_EQ(rt["cluster"]["id"], group) << rt.dump();
    EXPECT_EQ(rt["status"], "auto_rejected") << rt.dump();
    const std::string verdict = rt["verdict"].get<std::string>();
    EXPECT_EQ(verdict.rfind("inherited: group " + std::to_string(group) + " rejected by alice", 0), 0u)
        << verdict;
    EXPECT_EQ(rt["text"], "RT @bob: " + question_text + " #AskJPM https://t.co/x1");  // as sent

    // The audit trail shows the inherited decision as such.
    json trail = decisions_of(id_of(rt));
    ASSERT_TRUE(trail.contains("items") && trail["items"].size() == 1u) << trail.dump();
    EXPECT_EQ(trail["items"][0]["actor"], "triage");
    EXPECT_EQ(trail["items"][0]["action"], "inherit");
    EXPECT_EQ(trail["items"][0]["to"], "auto_rejected");
    EXPECT_EQ(trail["items"][0]["reason"], verdict);

    // The stream announces it like any new question, with the inherited verdict.
    json created = read_change(*ws);
    EXPECT_EQ(id_of(created["question"]), id_of(rt)) << created.dump();
    EXPECT_EQ(created["question"]["verdict"], verdict);

    // Restoring the rejected question releases the copy back to review, in one broadcast.
    decide(id_of(first), "restore", "carol");
    auto changes = read_changes(*ws, 2);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(id_of(changes[1]["question"]), id_of(rt)) << changes[1].dump();
    EXPECT_EQ(changes[1]["question"]["status"], "pending");
    EXPECT_EQ(changes[1]["from"], "auto_rejected");
    EXPECT_TRUE(changes[1]["actor"].is_null());
    EXPECT_EQ(decisions_of(id_of(rt))["items"][1]["action"], "release");
}

TEST_F(group_decisions_test, the_policy_switches_inheritance_and_the_canonical_text) {
    auto r = get("/api/v1/events/askjpm/policy");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["inherit_group_decisions"], true);
    EXPECT_EQ(r.body["canonical"],
              (json{{"enabled", true}, {"event_tags", json::array()}, {"drop_trailing_tags", true},
                    {"drop_mentions", true}, {"drop_links", true}}));

    auto off = put_policy({{"inherit_group_decisions", false}, {"canonical", {{"event_tags", {"JPM"}}}}});
    ASSERT_EQ(off.status, 200u) << off;
    EXPECT_EQ(off.body["canonical"]["event_tags"], json::array({"JPM"}));
    EXPECT_EQ(off.body["canonical"]["drop_links"], true);  // members not given keep their value
    json first = post_text("askjpm", question_text);
    decide(id_of(first), "reject", "alice");
    json rt = post_text("askjpm", "RT @bob: " + question_text);
    EXPECT_EQ(rt["cluster"]["id"], first["cluster"]["id"]);
    EXPECT_EQ(rt["status"], "pending") << rt.dump();

    // Canonical text off: the retweet is another text, in a group of its own.
    ASSERT_EQ(put_policy({{"canonical", {{"enabled", false}}}}).status, 200u);
    json raw = post_text("askjpm", "RT @ana: RT @bob: #JPM " + question_text + " #fail #AskJPM @kim");
    EXPECT_NE(raw["cluster"]["id"], first["cluster"]["id"]) << raw.dump();

    for (const json& bad : {json{{"canonical", {{"drop_emoji", true}}}}, json{{"canonical", {{"enabled", 1}}}},
                            json{{"canonical", {{"event_tags", "AskJPM"}}}},
                            json{{"canonical", {{"event_tags", {""}}}}},
                            json{{"inherit_group_decisions", "yes"}}, json{{"canonical", true}}}) {
        auto res = put_policy(bad);
        EXPECT_EQ(res.status, 400u) << bad.dump() << ": " << res;
        EXPECT_EQ(res.error_code(), "invalid_field") << bad.dump();
    }
}

TEST_F(group_decisions_test, impact_puts_the_group_that_settles_most_first_in_list_and_view) {
    const std::vector<std::string> texts = {
        "Why is the minister such an idiot about pensions?",
        "Why is the minister such an idiot about the overdraft fees?",
        "RT @a: Why is the minister such an idiot about the overdraft fees?",
        "@b Why is the minister such an idiot about the overdraft fees??",
        "Why is the chairman such an idiot about taxes?",
        "RT @c: Why is the chairman such an idiot about taxes?",
    };
    std::vector<std::int64_t> ids;
    for (const std::string& t : texts) ids.push_back(id_of(post_text("askjpm", t)));
    // The fees group (3 in review), then taxes (2), then pensions (1); newest first in a group.
    const std::vector<std::int64_t> want = {ids[3], ids[2], ids[1], ids[5], ids[4], ids[0]};
    std::vector<std::int64_t> got;
    for (const json& q : list_all("askjpm", "status=pending,held&sort=impact&limit=2")) {
        got.push_back(id_of(q));
        EXPECT_TRUE(q["cluster"]["in_review"].is_number_integer()) << q.dump();
        EXPECT_TRUE(q["cluster"]["heat"].is_number_integer()) << q.dump();
    }
    EXPECT_EQ(got, want);
    auto page = get("/api/v1/events/askjpm/questions?sort=impact&limit=2");
    ASSERT_EQ(page.status, 200u);
    auto bad = get("/api/v1/events/askjpm/questions?sort=impact&cursor=" +
                   url_encode(std::string("3_") + std::to_string(ids[3])));
    EXPECT_EQ(bad.status, 400u) << bad;  // a cursor of another order
    EXPECT_EQ(get("/api/v1/public/events/askjpm/questions?sort=impact").status, 400u);

    auto ws = open_stream("askjpm", "mode=view");
    ASSERT_NE(ws, nullptr);
    ASSERT_TRUE(ws->send_text(json{{"type", "subscribe"},
                                   {"id", 1},
                                   {"view", {{"status", {"pending", "held"}}, {"sort", "impact"}}},
                                   {"limit", 10}}
                                  .dump()));
    auto message = ws->read_json();
    ASSERT_TRUE(message.has_value());
    const json& snap = *message;
    ASSERT_EQ(snap["type"], "snapshot") << snap.dump();
    EXPECT_EQ(snap["view"]["sort"], "impact");
    std::vector<std::int64_t> seen;
    for (const json& q : snap["items"]) seen.push_back(id_of(q));
    EXPECT_EQ(seen, want);
}

}  // namespace
}  // namespace tribune::test

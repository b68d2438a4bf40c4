// The audience (issue 14; docs/api.md "The audience"): ask without a token, follow the status
// of one's own questions (and of nobody else's), vote once per participant, the limit on the
// audience's writes, an event whose questions are closed (votes stay open), an event whose
// audience page is off, an unknown event, and a name an event requires.

#include <regex>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class audience_test : public server_test {
protected:
    static std::string ask_path(std::string_view slug) {
        return "/api/v1/public/events/" + std::string(slug) + "/questions";
    }
    static std::string vote_path(std::int64_t id) {
        return "/api/v1/public/questions/" + std::to_string(id) + "/vote";
    }

    http_response ask(std::string_view slug, const json& body) const {
        return call_anonymous(http::verb::post, ask_path(slug), body.dump());
    }
    // Asks `text` as `participant`; expects 201 and returns the question.
    json ask_as(std::string_view participant, std::string_view text, std::string_view slug = "hall") {
        auto r = ask(slug, {{"text", text}, {"participant", participant}});
        EXPECT_EQ(r.status, 201u) << r;
        return r.body;
    }
    http_response own(std::string_view slug, std::string_view participant,
                      const std::vector<std::int64_t>& ids) const {
        return call_anonymous(http::verb::post, ask_path(slug) + "/mine",
                              json{{"participant", participant}, {"ids", ids}}.dump());
    }
    // The ids and statuses own() answers, in its order.
    std::vector<std::pair<std::int64_t, std::string>> own_statuses(
        std::string_view slug, std::string_view participant, const std::vector<std::int64_t>& ids) {
        auto r = own(slug, participant, ids);
        EXPECT_EQ(r.status, 200u) << r;
        std::vector<std::pair<std::int64_t, std::string>> out;
        for (const json& q : r.body["items"]) out.emplace_back(id_of(q), q.value("status", ""));
        return out;
    }
    http_response vote(std::int64_t id, std::string_view voter) const {
        return call_anonymous(http::verb::post, vote_path(id), json{{"voter", voter}}.dump());
    }
    void set(const json& settings) {
        auto r = call(http::verb::put, "/api/v1/events/hall/settings", settings.dump());
        ASSERT_EQ(r.status, 200u) << r;
    }
};

using status_list = std::vector<std::pair<std::int64_t, std::string>>;

TEST_F(audience_test, an_asker_follows_its_own_questions_from_review_to_outcome_and_nobody_elses) {
    ASSERT_FALSE(create_event("hall", false, "Town hall").is_null());
    ASSERT_FALSE(create_event("other", false).is_null());
    const json waiting = ask_as("ann-browser", review_text);
    EXPECT_EQ(waiting.value("status", ""), "pending") << waiting.dump();
    for (const char* k : {"scores", "verdict", "external_id", "source"})
        EXPECT_FALSE(waiting.contains(k)) << k << " in " << waiting.dump();
    const json clean = ask_as("ann-browser", clean_text);
    // The same text twice from the same browser: two questions, not a retry.
    const json again = ask_as("ann-browser", clean_text);
    EXPECT_NE(id_of(again), id_of(clean));
    const json bobs = ask_as("bob-browser", "Will the branch on Elm Street stay open?");
    const std::int64_t a = id_of(waiting), b = id_of(clean), c = id_of(bobs);

    EXPECT_EQ(own_statuses("hall", "ann-browser", {a, b, c, 999999}),
              (status_list{{a, "pending"}, {b, "approved"}}))
        << "Bob's question and an unknown id are left out";
    EXPECT_EQ(own_statuses("hall", "bob-browser", {a, b, c}), (status_list{{c, "approved"}}));
    EXPECT_TRUE(own_statuses("other", "ann-browser", {a, b}).empty()) << "another event's page";
    EXPECT_TRUE(own_statuses("hall", "ann-browser-2", {a, b}).empty());

    decide(a, "approve");
    EXPECT_EQ(own_statuses("hall", "ann-browser", {a}), (status_list{{a, "approved"}}));
    decide(b, "reject");
    EXPECT_EQ(own_statuses("hall", "ann-browser", {b}), (status_list{{b, "rejected"}}));

    // What is stored names no participant id: a reference made from its hash.
    const std::string ref = get_question(a).value("external_id", "");
    EXPECT_TRUE(std::regex_match(ref, std::regex("p:[0-9a-f]{32}:[0-9a-f]{16}"))) << ref;
    EXPECT_EQ(get_question(a).value("source", ""), "audience");

    // Without a participant id a question can still be asked, and followed by nobody.
    auto anon = ask("hall", {{"text", "Is the meeting recorded?"}});
    ASSERT_EQ(anon.status, 201u) << anon;
    EXPECT_TRUE(get_question(id_of(anon.body))["external_id"].is_null());

    expect_error(own("hall", "", {a}), 400, "invalid_field");
    expect_error(own("hall", std::string(101, 'x'), {a}), 400, "invalid_field");
    expect_error(own("hall", "ann-browser", std::vector<std::int64_t>(101, a)), 400, "too_many_ids");
    expect_error(call_anonymous(http::verb::post, ask_path("hall") + "/mine",
                                R"({"participant": "ann-browser", "ids": ["1"]})"),
                 400, "invalid_field");
    expect_error(ask("hall", {{"text", "Hi?"}, {"participant", 7}}), 400, "invalid_field");
}

TEST_F(audience_test, a_participant_votes_once_and_the_list_follows_the_votes) {
    ASSERT_FALSE(create_event("hall", false).is_null());
    const std::int64_t first = id_of(ask_as("p1", clean_text));
    const std::int64_t second = id_of(ask_as("p2", "Will the branch on Elm Street stay open?"));
    const std::int64_t hidden = id_of(ask_as("p3", review_text));
    EXPECT_EQ(vote(second, "p1").body.value("votes", -1), 1);
    EXPECT_EQ(vote(second, "p1").body.value("votes", -1), 1) << "a second vote by p1 counted";
    EXPECT_EQ(vote(second, "p2").body.value("votes", -1), 2);
    expect_error(vote(hidden, "p1"), 409, "not_votable");

    auto top = call_anonymous(http::verb::get, ask_path("hall") + "?sort=votes");
    ASSERT_EQ(top.status, 200u) << top;
    ASSERT_EQ(top.body["items"].size(), 2u) << top << " (the pending question is not listed)";
    EXPECT_EQ(id_of(top.body["items"][0]), second);
    EXPECT_EQ(id_of(top.body["items"][1]), first);
    auto newest = call_anonymous(http::verb::get, ask_path("hall") + "?sort=newest&limit=1");
    ASSERT_EQ(newest.body["items"].size(), 1u) << newest;
    EXPECT_EQ(id_of(newest.body["items"][0]), second);
    EXPECT_FALSE(newest.body["next_cursor"].is_null());
}

TEST_F(audience_test, the_audience_searches_the_approved_questions_only) {
    ASSERT_FALSE(create_event("hall", false).is_null());
    const std::int64_t fees = id_of(ask_as("p1", clean_text));
    id_of(ask_as("p2", "Will the branch on Elm Street stay open?"));
    EXPECT_EQ(ask_as("p3", review_text).value("status", ""), "pending");
    auto found = call_anonymous(http::verb::get, ask_path("hall") + "?sort=newest&q=fees");
    ASSERT_EQ(found.status, 200u) << found;
    ASSERT_EQ(found.body["items"].size(), 1u) << found << " (only the approved question)";
    EXPECT_EQ(id_of(found.body["items"][0]), fees);
    auto none = call_anonymous(http::verb::get, ask_path("hall") + "?q=minister");
    EXPECT_EQ(none.body["items"].size(), 0u) << none << " (a question waiting for review)";
    expect_error(call_anonymous(http::verb::get, ask_path("hall") + "?q=" + std::string(501, 'a')),
                 400, "invalid_field");
}

TEST_F(audience_test, closed_questions_keep_votes_open) {
    ASSERT_FALSE(create_event("hall", false, "Town hall").is_null());
    const std::int64_t id = id_of(ask_as("p1", clean_text));
    auto ev = call_anonymous(http::verb::get, "/api/v1/public/events/hall");
    ASSERT_EQ(ev.status, 200u) << ev;
    EXPECT_EQ(ev.body, (json{{"slug", "hall"}, {"title", "Town hall"}, {"questions_open", true},
                             {"name_required", false}}));

    ASSERT_NO_FATAL_FAILURE(set({{"questions_closed", true}}));
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/public/events/hall").body["questions_open"], false);
    expect_error(ask("hall", {{"text", "One more?"}, {"participant", "p2"}}), 403, "questions_closed");
    EXPECT_EQ(vote(id, "p2").body.value("votes", -1), 1) << "votes stay open";
    EXPECT_EQ(call_anonymous(http::verb::get, ask_path("hall")).status, 200u);
    EXPECT_EQ(own_statuses("hall", "p1", {id}), (status_list{{id, "approved"}}));
    // Clients with a token still ingest: the switch is the audience's.
    post_question("hall", {{"text", "Imported from the live chat?"}});

    ASSERT_NO_FATAL_FAILURE(set({{"questions_closed", false}}));
    EXPECT_EQ(ask("hall", {{"text", "One more?"}}).status, 201u);
}

TEST_F(audience_test, an_event_with_its_audience_page_off_says_so_everywhere) {
    ASSERT_FALSE(create_event("hall", false).is_null());
    const std::int64_t id = id_of(ask_as("p1", clean_text));
    ASSERT_NO_FATAL_FAILURE(set({{"audience_off", true}}));
    auto settings = call(http::verb::get, "/api/v1/events/hall/settings");
    EXPECT_EQ(settings.body.value("audience_off", false), true) << settings;

    expect_error(call_anonymous(http::verb::get, "/api/v1/public/events/hall"), 403, "audience_closed");
    expect_error(call_anonymous(http::verb::get, ask_path("hall")), 403, "audience_closed");
    expect_error(ask("hall", {{"text", "Anyone there?"}}), 403, "audience_closed");
    expect_error(vote(id, "p2"), 403, "audience_closed");
    expect_error(own("hall", "p1", {id}), 403, "audience_closed");
    EXPECT_EQ(get_question(id).value("votes", -1), 0);
    // The page itself is a static file; it reads the event and says it is closed.
    auto page = call_anonymous(http::verb::get, "/e/hall");
    EXPECT_EQ(page.status, 200u) << page;
    EXPECT_NE(page.raw.find("audience.js"), std::string::npos);

    ASSERT_NO_FATAL_FAILURE(set({{"audience_off", false}}));
    EXPECT_EQ(vote(id, "p2").body.value("votes", -1), 1);
}

TEST_F(audience_test, an_unknown_event_says_so) {
    expect_error(call_anonymous(http::verb::get, "/api/v1/public/events/nope"), 404, "event_not_found");
    expect_error(ask("nope", {{"text", "Where am I?"}}), 404, "event_not_found");
    expect_error(own("nope", "p1", {1}), 404, "event_not_found");
    expect_error(call_anonymous(http::verb::get, ask_path("nope")), 404, "event_not_found");
    expect_error(vote(999999, "p1"), 404, "question_not_found");
    // The page is served whatever the slug; it asks the API and says the event is unknown.
    auto page = call_anonymous(http::verb::get, "/e/nope");
    EXPECT_EQ(page.status, 200u) << page;
    EXPECT_NE(page.raw.find("audience.js"), std::string::npos);
}

TEST_F(audience_test, an_event_may_require_a_name) {
    ASSERT_FALSE(create_event("hall", false).is_null());
    ASSERT_NO_FATAL_FAILURE(set({{"name_required", true}}));
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/public/events/hall").body["name_required"], true);
    expect_error(ask("hall", {{"text", "Who runs this?"}}), 400, "author_required");
    expect_error(ask("hall", {{"text", "Who runs this?"}, {"author", "   "}}), 400, "author_required");
    auto r = ask("hall", {{"text", "Who runs this?"}, {"author", "Ann"}});
    ASSERT_EQ(r.status, 201u) << r;
    EXPECT_EQ(r.body.value("author", ""), "Ann");
}

// Three writes a minute per participant: a burst of one, then one every 20 s.
class audience_rate_test : public audience_test {
protected:
    bool start_in_setup() const override { return false; }
    void SetUp() override {
        audience_test::SetUp();
        ASSERT_NO_FATAL_FAILURE(
            start_with([](server::config& c) { c.rate_audience_per_minute = 3; }));
    }

    static void expect_limited(const http_response& r) {
        EXPECT_EQ(r.status, 429u) << r;
        EXPECT_EQ(r.error_code(), "rate_limited") << r;
        const std::string retry = r.header("retry-after");
        ASSERT_TRUE(std::regex_match(retry, std::regex("[1-9][0-9]*"))) << "Retry-After " << retry;
        EXPECT_LE(std::stoi(retry), 20);
    }
};

TEST_F(audience_rate_test, asking_and_voting_share_a_per_participant_limit_with_retry_after) {
    ASSERT_FALSE(create_event("hall", false).is_null());
    const std::int64_t id = id_of(ask_as("p1", clean_text));
    expect_limited(ask("hall", {{"text", "And another thing?"}, {"participant", "p1"}}));
    expect_limited(vote(id, "p1"));
    // Others are not held back by p1; reading is not limited.
    EXPECT_EQ(vote(id, "p2").status, 200u);
    EXPECT_EQ(ask("hall", {{"text", "A question of my own?"}, {"participant", "p3"}}).status, 201u);
    EXPECT_EQ(call_anonymous(http::verb::get, ask_path("hall")).status, 200u);
    EXPECT_EQ(own("hall", "p1", {id}).status, 200u);
    EXPECT_EQ(get_question(id).value("votes", -1), 1) << "the refused vote was not counted";
}

}  // namespace
}  // namespace tribune::test

// Listing an event's questions with filters, search and sort over HTTP (docs/api.md
// "Questions": GET /api/v1/events/{slug}/questions), and audience votes (POST
// /api/v1/public/questions/{id}/vote, no token) with sort=votes.
//
// Scores come from the placeholder classifier (core/placeholder_classifier.cpp): "stupid"
// insult 0.70, "idiot" insult 0.80, "moron" insult 0.85, "scum" insult 0.90, "damn"
// profanity 0.30, "kill" threat 0.95, "vermin" identity_attack 0.90; each also raises
// toxicity to its score. Its language is always "und".

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class list_query_test : public server_test {
protected:
    // One page (limit 500) of `slug` with `query`; expects 200.
    std::vector<json> page(std::string_view slug, std::string_view query) {
        std::string target = "/api/v1/events/" + std::string(slug) + "/questions?limit=500";
        if (!query.empty()) target += "&" + std::string(query);
        auto r = get(target);
        EXPECT_EQ(r.status, 200u) << "GET " << target << ": " << r;
        std::vector<json> out;
        if (r.status != 200 || !r.body.contains("items")) return out;
        EXPECT_TRUE(r.body["next_cursor"].is_null()) << "more than 500 in " << target;
        for (const json& q : r.body["items"]) out.push_back(q);
        return out;
    }
    // The ids of page(slug, query) as a set.
    std::set<std::int64_t> ids(std::string_view slug, std::string_view query) {
        std::set<std::int64_t> out;
        for (const json& q : page(slug, query)) out.insert(id_of(q));
        return out;
    }
    json post_by(std::string_view slug, std::string_view text, const json& author,
                 const json& source) {
        return post_question(slug, {{"text", text}, {"author", author}, {"source", source}});
    }
    http_response list(std::string_view slug, std::string_view query) {
        return get("/api/v1/events/" + std::string(slug) + "/questions?" + std::string(query));
    }
};

std::vector<std::int64_t> ids_in_order(const std::vector<json>& qs) {
    std::vector<std::int64_t> out;
    for (const json& q : qs) out.push_back(id_of(q));
    return out;
}

double severity(const json& q) {
    double s = 0;
    for (const auto& [name, v] : q.at("scores").items()) s = std::max(s, v.get<double>());
    return s;
}

// --- filters ----------------------------------------------------------------------------------

TEST_F(list_query_test, attribute_and_score_range_with_inclusive_bounds) {
    create_event("lq", false);
    const std::int64_t s70 = id_of(post_text("lq", "Is this plan stupid?"));
    const std::int64_t i80 = id_of(post_text("lq", "Why is the minister such an idiot?"));
    const std::int64_t m85 = id_of(post_text("lq", "The minister is a moron"));
    const std::int64_t sc90 = id_of(post_text("lq", "What scum runs this place?"));
    const json d30q = post_text("lq", "Damn, the fees again?");
    const std::int64_t d30 = id_of(d30q);
    const std::int64_t clean = id_of(post_text("lq", clean_text));
    const std::int64_t k95 = id_of(post_text("lq", reject_text));
    using ids_t = std::set<std::int64_t>;
    const ids_t all = {s70, i80, m85, sc90, d30, clean, k95};
    ASSERT_EQ(all.size(), 7u);

    EXPECT_EQ(ids("lq", "attribute=insult&min_score=0.8&max_score=0.85"), (ids_t{i80, m85}));
    EXPECT_EQ(ids("lq", "attribute=insult&min_score=0.71"), (ids_t{i80, m85, sc90}));
    EXPECT_EQ(ids("lq", "attribute=insult&min_score=0.70&max_score=0.70"), (ids_t{s70}));
    EXPECT_EQ(ids("lq", "attribute=insult&max_score=0"), (ids_t{d30, clean, k95}));
    EXPECT_EQ(ids("lq", "attribute=profanity&min_score=0.3&max_score=0.3"), (ids_t{d30}));
    EXPECT_EQ(ids("lq", "attribute=threat&min_score=0.95&max_score=1"), (ids_t{k95}));
    EXPECT_EQ(ids("lq", "attribute=insult&min_score=0.86&max_score=0.89"), ids_t{});
    // attribute defaults to toxicity.
    EXPECT_EQ(ids("lq", "min_score=0.9"), (ids_t{sc90, k95}));
    EXPECT_EQ(ids("lq", "max_score=0.3"), (ids_t{d30, clean}));
    // An attribute without a range keeps everything.
    EXPECT_EQ(ids("lq", "attribute=threat"), all);
    // With status.
    EXPECT_EQ(ids("lq", "status=pending&attribute=insult&min_score=0.8"), (ids_t{i80, m85, sc90}));
    // (Whether profanity 0.30 is approved depends on the default review bound.)
    ids_t low_approved = {clean};
    if (d30q.value("status", "") == "approved") low_approved.insert(d30);
    EXPECT_EQ(ids("lq", "status=approved,auto_rejected&attribute=toxicity&max_score=0.5"),
              low_approved);
    // Each returned question really is in range.
    for (const json& q : page("lq", "attribute=insult&min_score=0.8&max_score=0.85")) {
        EXPECT_GE(q["scores"]["insult"].get<double>(), 0.8 - 1e-6) << q.dump();
        EXPECT_LE(q["scores"]["insult"].get<double>(), 0.85 + 1e-6) << q.dump();
    }
    // Paged with a filter: no gaps, no duplicates.
    auto paged = list_all("lq", "attribute=insult&min_score=0.7&limit=1");
    EXPECT_EQ(ids_in_order(paged), ids_in_order(page("lq", "attribute=insult&min_score=0.7")));
    EXPECT_EQ(paged.size(), 4u);
}

TEST_F(list_query_test, lang_author_and_source_match_exactly) {
    create_event("who", false);
    const std::int64_t at = id_of(post_by("who", "First question", "alice", "twitter"));
    const std::int64_t bt = id_of(post_by("who", "Second question", "bob", "twitter"));
    const std::int64_t as = id_of(post_by("who", "Third question", "alice", "slido"));
    const std::int64_t At = id_of(post_by("who", "Fourth question", "Alice", "twitter"));
    const std::int64_t anon = id_of(post_by("who", "Fifth question", nullptr, nullptr));
    using ids_t = std::set<std::int64_t>;

    EXPECT_EQ(ids("who", "author=alice"), (ids_t{at, as}));
    EXPECT_EQ(ids("who", "author=Alice"), (ids_t{At}));
    EXPECT_EQ(ids("who", "author=ali"), ids_t{});
    EXPECT_EQ(ids("who", "source=twitter"), (ids_t{at, bt, At}));
    EXPECT_EQ(ids("who", "source=slido"), (ids_t{as}));
    EXPECT_EQ(ids("who", "author=alice&source=twitter"), (ids_t{at}));
    EXPECT_EQ(ids("who", "author=nobody"), ids_t{});
    EXPECT_EQ(ids("who", "author=" + url_encode("bob") + "&status=approved"), (ids_t{bt}));

    // The placeholder classifier tags every question "und".
    for (const json& q : page("who", "")) EXPECT_EQ(q["lang"], "und") << q.dump();
    EXPECT_EQ(ids("who", "lang=und"), (ids_t{at, bt, as, At, anon}));
    EXPECT_EQ(ids("who", "lang=en"), ids_t{});
    EXPECT_EQ(ids("who", "lang=und&author=bob"), (ids_t{bt}));
    // Other events' questions never appear.
    post_by("demo", "Elsewhere", "alice", "twitter");
    EXPECT_EQ(ids("who", "author=alice"), (ids_t{at, as}));
}

TEST_F(list_query_test, search_ignores_case_accents_and_leet_and_supports_prefixes) {
    create_event("fts", false);
    const std::int64_t t1 = id_of(post_text("fts", "Will the Minister resign over the fees?"));
    const std::int64_t t2 = id_of(post_text("fts", "Le minist\xC3\xA8re r\xC3\xA9pond-il aux questions?"));
    const std::int64_t t3 = id_of(post_text("fts", "What does the M1N1STER think about taxes?"));
    const std::int64_t t4 = id_of(post_text("fts", "Taxes and fees are too high"));
    const std::int64_t t5 = id_of(post_text("fts", "Ministerial salaries?"));
    using ids_t = std::set<std::int64_t>;
    auto q = [&](std::string_view s) { return ids("fts", "q=" + url_encode(s)); };

    // Whole words, whatever the case, accents or l33t on either side.
    EXPECT_EQ(q("minister"), (ids_t{t1, t3}));
    EXPECT_EQ(q("MINISTER"), (ids_t{t1, t3}));
    EXPECT_EQ(q("M\xC3\xAEn\xC3\xAFster"), (ids_t{t1, t3}));  // Mînïster
    EXPECT_EQ(q("m1n1st3r"), (ids_t{t1, t3}));
    EXPECT_EQ(q("ministere"), (ids_t{t2}));
    EXPECT_EQ(q("MINIST\xC3\x88RE"), (ids_t{t2}));  // MINISTÈRE
    EXPECT_EQ(q("repond"), (ids_t{t2}));
    // A prefix with '*'.
    EXPECT_EQ(q("minist*"), (ids_t{t1, t2, t3, t5}));
    EXPECT_EQ(q("MINIST*"), (ids_t{t1, t2, t3, t5}));
    EXPECT_EQ(q("ministeri*"), (ids_t{t5}));
    EXPECT_EQ(q("tax*"), (ids_t{t3, t4}));
    // Every word must occur.
    EXPECT_EQ(q("minister fees"), (ids_t{t1}));
    EXPECT_EQ(q("fees taxes"), (ids_t{t4}));
    EXPECT_EQ(q("taxes"), (ids_t{t3, t4}));
    EXPECT_EQ(q("minist* taxes"), (ids_t{t3}));
    EXPECT_EQ(q("parliament"), ids_t{});
    EXPECT_EQ(q("minister parliament"), ids_t{});
    // An empty q does not filter.
    EXPECT_EQ(ids("fts", "q="), (ids_t{t1, t2, t3, t4, t5}));
    // Combined with other filters and paging.
    EXPECT_EQ(ids("fts", "q=fees&status=approved"), (ids_t{t1, t4}));
    auto paged = list_all("fts", "q=minist*&limit=1");
    EXPECT_EQ(paged.size(), 4u);
    std::set<std::int64_t> seen;
    for (const json& x : paged) EXPECT_TRUE(seen.insert(id_of(x)).second) << "duplicate " << x.dump();
    // The text is returned as written.
    for (const json& x : page("fts", "q=minister"))
        if (id_of(x) == t3) {
            EXPECT_EQ(x["text"], "What does the M1N1STER think about taxes?");
        }
}

// --- sort and paging ----------------------------------------------------------------------------

TEST_F(list_query_test, sort_severity_pages_with_cursor_without_gaps_or_duplicates) {
    create_event("sev", false);
    const char* texts[] = {
        "Why is the minister such an idiot?", "Is this plan stupid?",  clean_text.data(),
        "I will kill the minister",           "Damn, the fees again?", "The minister is a moron",
        "What an idiot of a speaker",         "What scum runs this?",  "They are vermin",
        "Another idiot idea",                 "When do we start?",     "Is it stupid to ask?",
        "Kill the bill",                      "Damn it",               "Thanks for the talk",
    };
    std::set<std::int64_t> posted;
    for (const char* t : texts) posted.insert(id_of(post_text("sev", t)));
    ASSERT_EQ(posted.size(), std::size(texts));

    const auto whole = page("sev", "sort=severity");
    ASSERT_EQ(whole.size(), posted.size());
    for (std::size_t i = 1; i < whole.size(); ++i)
        EXPECT_GE(severity(whole[i - 1]), severity(whole[i]))
            << "severity order broken at " << i << ": " << whole[i - 1].dump() << " then "
            << whole[i].dump();
    EXPECT_NEAR(severity(whole.front()), 0.95, 1e-6);
    EXPECT_NEAR(severity(whole.back()), 0.0, 1e-6);

    // Every page size, including ones that cut through ties (three at 0.80, two at 0.95,
    // two at 0.90, two at 0.70, two at 0.30, three at 0).
    for (int limit : {1, 2, 3, 4, 7, 14, 15, 16}) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        auto paged = list_all("sev", "sort=severity&limit=" + std::to_string(limit));
        EXPECT_EQ(ids_in_order(paged), ids_in_order(whole));
    }
    // With a filter.
    auto pending_whole = page("sev", "sort=severity&status=pending");
    auto pending_paged = list_all("sev", "sort=severity&status=pending&limit=2");
    EXPECT_EQ(ids_in_order(pending_paged), ids_in_order(pending_whole));
    EXPECT_FALSE(pending_whole.empty());
    for (const json& q : pending_whole) EXPECT_EQ(q["status"], "pending");

    // A question arriving between pages (newest, and lowest) does not disturb the walk.
    auto first = list("sev", "sort=severity&limit=5");
    ASSERT_EQ(first.status, 200u) << first;
    ASSERT_TRUE(first.body["next_cursor"].is_string()) << first;
    post_text("sev", "Late and polite");
    std::vector<std::int64_t> walked;
    for (const json& q : first.body["items"]) walked.push_back(id_of(q));
    std::string cursor = first.body["next_cursor"].get<std::string>();
    while (!cursor.empty()) {
        auto r = list("sev", "sort=severity&limit=5&cursor=" + url_encode(cursor));
        ASSERT_EQ(r.status, 200u) << r;
        for (const json& q : r.body["items"]) walked.push_back(id_of(q));
        cursor = r.body["next_cursor"].is_string() ? r.body["next_cursor"].get<std::string>() : "";
    }
    std::vector<std::int64_t> expected = ids_in_order(whole);
    auto with_late = ids_in_order(page("sev", "sort=severity"));
    ASSERT_EQ(with_late.size(), expected.size() + 1);
    EXPECT_EQ(walked, with_late) << "the walk after a late arrival has gaps or duplicates";
}

TEST_F(list_query_test, sort_oldest_and_newest) {
    create_event("age", false);
    std::vector<std::int64_t> in_order;
    for (int i = 0; i < 7; ++i) in_order.push_back(id_of(post_text("age", "Question " + std::to_string(i))));
    EXPECT_EQ(ids_in_order(list_all("age", "sort=oldest&limit=2")), in_order);
    std::vector<std::int64_t> reversed(in_order.rbegin(), in_order.rend());
    EXPECT_EQ(ids_in_order(list_all("age", "sort=newest&limit=3")), reversed);
    EXPECT_EQ(ids_in_order(list_all("age", "limit=3")), reversed) << "newest is the default";
}

TEST_F(list_query_test, bad_query_parameters_answer_400) {
    post_text("demo", clean_text);
    const std::string base = "/api/v1/events/demo/questions?";
    expect_error(get(base + "sort=bogus"), 400, "invalid_field");
    expect_error(get(base + "attribute=spam"), 400, "invalid_field");
    expect_error(get(base + "attribute=spam&min_score=0.5"), 400, "invalid_field");
    expect_error(get(base + "min_score=2"), 400, "invalid_field");
    expect_error(get(base + "min_score=-0.1"), 400, "invalid_field");
    expect_error(get(base + "min_score=abc"), 400, "invalid_field");
    expect_error(get(base + "min_score=0.5x"), 400, "invalid_field");
    expect_error(get(base + "max_score=1.01"), 400, "invalid_field");
    expect_error(get(base + "attribute=insult&max_score=nan"), 400, "invalid_field");
    expect_error(get(base + "cursor=garbage"), 400, "invalid_cursor");
    expect_error(get(base + "cursor=12"), 400, "invalid_cursor");
    expect_error(get(base + "sort=severity&cursor=800_x"), 400, "invalid_cursor");
    expect_error(get(base + "limit=0"), 400, "invalid_limit");
    expect_error(get(base + "limit=501"), 400, "invalid_limit");
    expect_error(get(base + "status=bogus"), 400, "invalid_status");
    expect_error(get("/api/v1/events/nope/questions?sort=severity"), 404, "event_not_found");
    // The valid forms of the same parameters answer 200.
    for (const char* ok : {"sort=severity", "sort=votes", "sort=oldest", "sort=newest",
                           "attribute=insult&min_score=0&max_score=1", "min_score=1",
                           "lang=en", "q=anything"}) {
        auto r = get(base + ok);
        EXPECT_EQ(r.status, 200u) << ok << ": " << r;
    }
}

// --- votes ------------------------------------------------------------------------------------
// The audience votes without a token (docs/api.md "Access") and is answered the public question
// JSON; what moderators see (votes, version, status) is read through the authenticated API.

std::string vote_target(std::int64_t id) {
    return "/api/v1/public/questions/" + std::to_string(id) + "/vote";
}

// What the audience is shown of a question: no scores, no verdict, no version.
void expect_public_shape(const json& q) {
    ASSERT_TRUE(q.is_object()) << q.dump();
    for (const char* key : {"id", "event", "text", "author", "created_at", "status", "votes"})
        EXPECT_TRUE(q.contains(key)) << "public question without " << key << ": " << q.dump();
    EXPECT_TRUE(q["id"].is_number_integer()) << q.dump();
    EXPECT_TRUE(q["votes"].is_number_integer()) << q.dump();
    EXPECT_TRUE(is_iso_ms_utc(q.value("created_at", json()))) << q.dump();
    for (const char* key : {"scores", "verdict", "version"})
        EXPECT_FALSE(q.contains(key)) << "public question shows " << key << ": " << q.dump();
}

class list_query_votes_test : public list_query_test {
protected:
    http_response vote(std::int64_t id, const json& body) const {
        return call_anonymous(http::verb::post, vote_target(id), body.dump());
    }
    // `answer` is for executive (and admin) tokens.
    json answer(std::int64_t id) {
        auto r = call(http::verb::post, "/api/v1/questions/" + std::to_string(id) + "/decision",
                      json{{"action", "answer"}}.dump(), bearer(token_for("executive", "exec")));
        EXPECT_EQ(r.status, 200u) << "answer on " << id << ": " << r;
        if (r.status != 200) return {};
        return r.body;
    }
};

TEST_F(list_query_votes_test, one_vote_per_voter_and_only_on_approved_or_answered) {
    json q = post_text("demo", clean_text);
    ASSERT_EQ(q["status"], "approved");
    EXPECT_EQ(q["votes"], 0) << q.dump();
    const std::int64_t id = id_of(q);

    auto v1 = vote(id, {{"voter", "v1"}});
    ASSERT_EQ(v1.status, 200u) << v1;
    ASSERT_NO_FATAL_FAILURE(expect_public_shape(v1.body));
    EXPECT_EQ(id_of(v1.body), id) << v1;
    EXPECT_EQ(v1.body["status"], "approved") << v1;
    EXPECT_EQ(v1.body["votes"], 1) << v1;
    auto again = vote(id, {{"voter", "v1"}});
    ASSERT_EQ(again.status, 200u) << again;
    EXPECT_EQ(again.body["votes"], 1) << "a second vote by the same voter counted: " << again;
    auto v2 = vote(id, {{"voter", "v2"}});
    ASSERT_EQ(v2.status, 200u) << v2;
    EXPECT_EQ(v2.body["votes"], 2) << v2;
    json stored = get_question(id);
    EXPECT_EQ(stored["votes"], 2);
    EXPECT_EQ(stored["version"], 1) << "a vote is not a change of status";
    EXPECT_EQ(stored["status"], "approved");

    // Answered questions keep their votes and still take new ones.
    EXPECT_EQ(answer(id)["status"], "answered");
    auto v3 = vote(id, {{"voter", "v3"}});
    ASSERT_EQ(v3.status, 200u) << v3;
    EXPECT_EQ(v3.body["status"], "answered") << v3;
    EXPECT_EQ(v3.body["votes"], 3) << v3;

    // Not votable: pending, held, rejected, auto_rejected. The audience sees approved and
    // answered questions only, so the 409 does not show it the refused question.
    json pending = post_text("demo", review_text);
    json auto_rejected = post_text("demo", reject_text);
    json held = post_text("demo", "Held question");
    held = decide(id_of(held), "hold", "alice");
    json rejected = post_text("demo", "Rejected question");
    rejected = decide(id_of(rejected), "reject", "alice");
    for (const json* x : {&pending, &auto_rejected, &held, &rejected}) {
        SCOPED_TRACE(x->dump());
        ASSERT_GT(id_of(*x), 0);
        auto r = vote(id_of(*x), {{"voter", "v1"}});
        expect_error(r, 409, "not_votable");
        EXPECT_EQ(r.raw.find((*x)["text"].get<std::string>()), std::string::npos)
            << "the refusal shows the audience a question it may not see: " << r;
        json now = get_question(id_of(*x));
        EXPECT_EQ(now["votes"], 0);
        EXPECT_EQ(now["status"], (*x)["status"]);
        EXPECT_EQ(now["version"], (*x)["version"]);
    }
    // A vote refused while pending does not count once it is approved.
    decide(id_of(pending), "approve", "alice");
    auto late = vote(id_of(pending), {{"voter", "v1"}});
    ASSERT_EQ(late.status, 200u) << late;
    EXPECT_EQ(late.body["votes"], 1) << late;

    // Bad requests.
    expect_error(vote(id, {{"voter", 5}}), 400, "invalid_field");
    expect_error(vote(id, {{"voter", json::array()}}), 400, "invalid_field");
    expect_error(call_anonymous(http::verb::post, vote_target(id), "not json"), 400, "invalid_json");
    expect_error(call_anonymous(http::verb::post, vote_target(id), "[1]"), 400, "invalid_json");
    expect_error(vote(9'999'999, {{"voter", "v1"}}), 404, "question_not_found");
    expect_error(call_anonymous(http::verb::get, vote_target(id)), 405, "method_not_allowed");
    EXPECT_EQ(get_question(id)["votes"], 3);

    // Without a voter id the vote is the address's: once per address (docs/api.md "Access").
    auto by_address = vote(id, json::object());
    ASSERT_EQ(by_address.status, 200u) << by_address;
    EXPECT_EQ(by_address.body["votes"], 4) << by_address;
    auto by_address_again = vote(id, {{"voter", nullptr}});
    ASSERT_EQ(by_address_again.status, 200u) << by_address_again;
    EXPECT_EQ(by_address_again.body["votes"], 4) << "the same address voted twice: " << by_address_again;
    EXPECT_EQ(get_question(id)["votes"], 4);
}

TEST_F(list_query_votes_test, sort_votes_orders_by_votes_and_pages_cleanly) {
    create_event("ama", false);
    const int wanted_votes[] = {3, 0, 5, 1, 0, 2, 1};
    std::vector<std::int64_t> qids;
    for (int v : wanted_votes) {
        const std::int64_t id = id_of(post_text("ama", "Question with " + std::to_string(v) + " votes"));
        qids.push_back(id);
        for (int k = 0; k < v; ++k) {
            auto r = vote(id, {{"voter", "voter-" + std::to_string(k)}});
            ASSERT_EQ(r.status, 200u) << r;
            EXPECT_EQ(r.body["votes"], k + 1) << r;
        }
    }
    const auto whole = page("ama", "sort=votes");
    ASSERT_EQ(whole.size(), qids.size());
    std::vector<int> votes;
    for (const json& q : whole) votes.push_back(q["votes"].get<int>());
    EXPECT_EQ(votes, (std::vector<int>{5, 3, 2, 1, 1, 0, 0}));
    EXPECT_EQ(id_of(whole[0]), qids[2]);
    EXPECT_EQ(id_of(whole[1]), qids[0]);
    EXPECT_EQ(id_of(whole[2]), qids[5]);
    for (int limit : {1, 2, 3}) {
        SCOPED_TRACE("limit " + std::to_string(limit));
        EXPECT_EQ(ids_in_order(list_all("ama", "sort=votes&limit=" + std::to_string(limit))),
                  ids_in_order(whole));
    }
    // A vote moves a question up.
    auto first = vote(qids[1], {{"voter", "a"}});
    ASSERT_EQ(first.status, 200u) << first;
    for (int k = 0; k < 6; ++k) {
        auto r = vote(qids[1], {{"voter", "b" + std::to_string(k)}});
        ASSERT_EQ(r.status, 200u) << r;
    }
    auto after = list("ama", "sort=votes&limit=1");
    ASSERT_EQ(after.status, 200u) << after;
    ASSERT_EQ(after.body["items"].size(), 1u) << after;
    EXPECT_EQ(id_of(after.body["items"][0]), qids[1]) << after;
    EXPECT_EQ(after.body["items"][0]["votes"], 7) << after;
}

// An empty voter id is not an id (question_service::vote refuses it with invalid_field), but
// the public route prefixes it ("id:") before the check, so `{"voter": ""}` is counted as one
// more voter, shared by everyone who sends it.
TEST_F(list_query_votes_test, empty_voter_id_answers_400) {
    const std::int64_t id = id_of(post_text("demo", clean_text));
    ASSERT_GT(id, 0);
    expect_error(vote(id, {{"voter", ""}}), 400, "invalid_field");
    EXPECT_EQ(get_question(id)["votes"], 0);
}

}  // namespace
}  // namespace tribune::test

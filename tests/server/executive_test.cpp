// The executives' REST surface (issue 14; docs/api.md "Ranking", "The executives' shortlist",
// "Event settings"): executives see approved and answered questions only; the ranking follows
// the documented score; the shortlist's order, "answering now" (one at a time), answers and
// notes persist across a restart; scores reach executives only when an admin allows it; the
// "is it a question?" signal is stored once per question and filters the ranking.

#include <cmath>
#include <set>
#include <thread>

#include "core/classify/placeholder_classifier.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// The documented score of a ranked item, from the members the item reports.
double documented_score(const json& rank, double wv, double wg, double wr, double half_life) {
    return wv * std::log(1.0 + rank["votes"].get<double>()) +
           wg * std::log(rank["asked"].get<double>()) +
           wr * std::exp2(-rank["age_minutes"].get<double>() / half_life);
}

class executive_test : public server_test {
protected:
    header_list exec() { return bearer(token_for("executive", "erin")); }
    header_list exec2() { return bearer(token_for("executive", "frank")); }

    http_response as_exec(http::verb m, const std::string& target, const json& body = nullptr) {
        return call(m, target, body.is_null() ? std::string() : body.dump(), exec());
    }

    std::int64_t approved(std::string_view slug, std::string_view text) {
        json q = post_text(slug, text);
        EXPECT_EQ(q.value("status", ""), "approved") << q.dump();
        return id_of(q);
    }

    json shortlist(std::string_view slug) {
        auto r = as_exec(http::verb::get, "/api/v1/events/" + std::string(slug) + "/shortlist");
        EXPECT_EQ(r.status, 200u) << r;
        return r.body["items"];
    }

    static std::vector<std::int64_t> ids_of(const json& entries) {
        std::vector<std::int64_t> out;
        for (const json& e : entries) out.push_back(id_of(e["question"]));
        return out;
    }

    void add(std::string_view slug, std::int64_t id) {
        auto r = as_exec(http::verb::post, "/api/v1/events/" + std::string(slug) + "/shortlist",
                         {{"question_id", id}});
        EXPECT_EQ(r.status, 200u) << r;
    }

    http_response edit(std::string_view slug, std::int64_t id, const json& body) {
        return as_exec(http::verb::patch,
                       "/api/v1/events/" + std::string(slug) + "/shortlist/" + std::to_string(id), body);
    }

    void vote(std::int64_t id, int voters) {
        for (int v = 0; v < voters; ++v) {
            auto r = call_anonymous(http::verb::post, "/api/v1/public/questions/" + std::to_string(id) + "/vote",
                                    json{{"voter", "voter-" + std::to_string(v)}}.dump());
            EXPECT_EQ(r.status, 200u) << r;
        }
    }
};

TEST_F(executive_test, executives_see_only_approved_questions_in_the_ranking_and_the_shortlist) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t ok = approved("town", clean_text);
    const std::int64_t pending = id_of(post_text("town", review_text));
    const std::int64_t rejected = id_of(post_text("town", reject_text));
    auto r = as_exec(http::verb::get, "/api/v1/events/town/ranking");
    ASSERT_EQ(r.status, 200u) << r;
    std::set<std::int64_t> ranked;
    for (const json& item : r.body["items"]) ranked.insert(id_of(item["question"]));
    EXPECT_EQ(ranked, std::set<std::int64_t>{ok});
    EXPECT_EQ(r.raw.find("minister"), std::string::npos) << "pending or rejected text reached an executive";

    for (std::int64_t hidden : {pending, rejected}) {
        auto refused = as_exec(http::verb::post, "/api/v1/events/town/shortlist", {{"question_id", hidden}});
        expect_error(refused, 409, "not_shortlistable");
        EXPECT_EQ(refused.raw.find("minister"), std::string::npos) << refused;
    }
    // A shortlisted question a moderator takes back leaves the executives' shortlist, and
    // comes back in its place when it is approved again.
    const std::int64_t second = approved("town", "Will the branch on Elm Street stay open?");
    add("town", ok);
    add("town", second);
    decide(ok, "reject");
    EXPECT_EQ(ids_of(shortlist("town")), std::vector<std::int64_t>{second});
    expect_error(edit("town", ok, {{"answering_now", true}}), 404, "not_on_shortlist");
    decide(ok, "restore");
    decide(ok, "approve");
    EXPECT_EQ(ids_of(shortlist("town")), (std::vector<std::int64_t>{ok, second}));
}

TEST_F(executive_test, the_ranking_follows_the_documented_score) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t voted = approved("town", "What is the plan for the savings rate next year?");
    const std::int64_t first = approved("town", "When will you lower the overdraft fees?");
    const std::int64_t again = approved("town", "when will u lower overdraft fees??");
    const std::int64_t fresh = approved("town", "Is there news about cash machines in villages?");
    vote(voted, 3);
    vote(again, 1);

    auto ranking = [&](const std::string& query) {
        auto r = as_exec(http::verb::get, "/api/v1/events/town/ranking?" + query);
        EXPECT_EQ(r.status, 200u) << r;
        return r.body;
    };
    // Near-duplicates are one item: shown by the first, votes summed, asked = the group size.
    json all = ranking("w_votes=1&w_group=1&w_recency=1&half_life=30");
    ASSERT_EQ(all["items"].size(), 3u) << all.dump();
    EXPECT_EQ(all["groups"], 3);
    double previous = 1e9;
    for (const json& item : all["items"]) {
        const json& rank = item["rank"];
        EXPECT_NEAR(rank["score"].get<double>(), documented_score(rank, 1, 1, 1, 30), 2e-3) << item.dump();
        const json& parts = rank["parts"];
        EXPECT_NEAR(rank["score"].get<double>(),
                    parts["votes"].get<double>() + parts["group"].get<double>() + parts["recency"].get<double>(),
                    2e-3);
        EXPECT_LE(rank["score"].get<double>(), previous) << "not best first: " << all.dump();
        previous = rank["score"].get<double>();
        if (id_of(item["question"]) == first) {
            EXPECT_EQ(rank["asked"], 2);
            EXPECT_EQ(rank["public_questions"], 2);
            EXPECT_EQ(rank["votes"], 1);
        }
        EXPECT_NE(id_of(item["question"]), again) << "a near-duplicate is shown by its group's first";
    }
    EXPECT_EQ(all["formula"].get<std::string>().find("ln(1 + votes)") != std::string::npos, true);

    // One weight at a time decides the order exactly.
    auto order = [&](const std::string& query) {
        std::vector<std::int64_t> out;
        const json r = ranking(query);
        for (const json& item : r["items"]) out.push_back(id_of(item["question"]));
        return out;
    };
    EXPECT_EQ(order("w_votes=1&w_group=0&w_recency=0"), (std::vector<std::int64_t>{voted, first, fresh}));
    EXPECT_EQ(order("w_votes=0&w_group=1&w_recency=0").front(), first);
    // Equal scores: the older question first.
    EXPECT_EQ(order("w_votes=0&w_group=0&w_recency=0"), (std::vector<std::int64_t>{voted, first, fresh}));
    // Filters: search words, language, limit.
    EXPECT_EQ(order("q=overdraft"), std::vector<std::int64_t>{first});
    EXPECT_EQ(order("limit=1").size(), 1u);
    expect_error(as_exec(http::verb::get, "/api/v1/events/town/ranking?w_votes=-1"), 400, "invalid_field");
    expect_error(as_exec(http::verb::get, "/api/v1/events/town/ranking?half_life=0"), 400, "invalid_field");
    expect_error(as_exec(http::verb::get, "/api/v1/events/town/ranking?limit=501"), 400, "invalid_limit");
    // Topic words: those of two questions or more, without function words.
    bool fees = false;
    for (const json& t : all["topics"]) {
        EXPECT_NE(t["word"], "when");
        fees = fees || (t["word"] == "overdraft" && t["questions"] == 2);
    }
    EXPECT_TRUE(fees) << all["topics"].dump();
    // Language: the test server's classifier tells none ("und"), so every question is "und"
    // and none is "fr" (a stored language is matched exactly).
    EXPECT_EQ(order("lang=und").size(), 3u);
    EXPECT_TRUE(order("lang=fr").empty());
}

TEST_F(executive_test, the_shortlist_order_answering_now_answers_and_notes_persist) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t a = approved("town", "What about the Elm Street branch?");
    const std::int64_t b = approved("town", "What is the plan for the mobile app?");
    const std::int64_t c = approved("town", "Will card limits change next year?");
    for (std::int64_t id : {a, b, c}) add("town", id);
    EXPECT_EQ(ids_of(shortlist("town")), (std::vector<std::int64_t>{a, b, c}));

    auto put = as_exec(http::verb::put, "/api/v1/events/town/shortlist", {{"order", {c, a, b}}});
    ASSERT_EQ(put.status, 200u) << put;
    EXPECT_EQ(ids_of(put.body["items"]), (std::vector<std::int64_t>{c, a, b}));
    // An order that misses an entry, or names one twice, is refused and changes nothing.
    expect_error(as_exec(http::verb::put, "/api/v1/events/town/shortlist", {{"order", {c, a}}}), 409,
                 "shortlist_changed");
    expect_error(as_exec(http::verb::put, "/api/v1/events/town/shortlist", {{"order", {c, a, a}}}), 409,
                 "shortlist_changed");
    expect_error(as_exec(http::verb::put, "/api/v1/events/town/shortlist", {{"order", "c"}}), 400,
                 "invalid_field");

    ASSERT_EQ(edit("town", a, {{"answering_now", true}}).status, 200u);
    auto now_b = edit("town", b, {{"answering_now", true}, {"note", "We keep it, and add Saturdays."}});
    ASSERT_EQ(now_b.status, 200u) << now_b;
    EXPECT_TRUE(now_b.body["answering_now"].get<bool>());
    EXPECT_EQ(now_b.body["note_by"], "erin");
    auto done = edit("town", a, {{"answered", true}});
    ASSERT_EQ(done.status, 200u) << done;
    EXPECT_EQ(done.body["question"]["status"], "answered");
    expect_error(edit("town", a, {{"answered", false}}), 400, "invalid_field");
    expect_error(edit("town", a, {{"note", std::string(1001, 'x')}}), 400, "invalid_field");
    expect_error(edit("town", a, {{"colour", "red"}}), 400, "invalid_field");
    // A moderator reads the shortlist but may not change it.
    auto mod = call(http::verb::patch, "/api/v1/events/town/shortlist/" + std::to_string(b),
                    json{{"note", "x"}}.dump(), bearer(token_for("moderator", "mo")));
    EXPECT_EQ(mod.status, 403u) << mod;

    restart_with([](server::config&) {});
    const json after = shortlist("town");
    ASSERT_EQ(ids_of(after), (std::vector<std::int64_t>{c, a, b}));
    int answering = 0;
    for (const json& e : after) answering += e["answering_now"].get<bool>() ? 1 : 0;
    EXPECT_EQ(answering, 1);
    EXPECT_TRUE(after[2]["answering_now"].get<bool>()) << after.dump();
    EXPECT_EQ(after[2]["note"], "We keep it, and add Saturdays.");
    EXPECT_EQ(after[1]["question"]["status"], "answered");
    EXPECT_FALSE(after[1]["answering_now"].get<bool>()) << "an answered question is no longer answered now";
    // The audit trail records who answered.
    auto trail = as_exec(http::verb::get, "/api/v1/questions/" + std::to_string(a) + "/decisions");
    ASSERT_EQ(trail.status, 200u) << trail;
    EXPECT_EQ(trail.body["items"].back()["actor"], "erin");
    EXPECT_EQ(trail.body["items"].back()["to"], "answered");
}

TEST_F(executive_test, answering_now_is_one_at_a_time_when_executives_race) {
    ASSERT_FALSE(create_event("town", false).is_null());
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 8; ++i) {
        ids.push_back(approved("town", "Question number " + std::to_string(i) + " about the branch hours?"));
        add("town", ids.back());
    }
    const header_list e1 = exec(), e2 = exec2();
    std::vector<std::thread> racers;
    for (std::size_t i = 0; i < ids.size(); ++i)
        racers.emplace_back([&, i] {
            for (int round = 0; round < 5; ++round) {
                auto r = http_call(port(), http::verb::patch,
                                   "/api/v1/events/town/shortlist/" + std::to_string(ids[i]),
                                   json{{"answering_now", true}}.dump(), i % 2 ? e1 : e2);
                EXPECT_EQ(r.status, 200u) << r;
            }
        });
    for (auto& t : racers) t.join();
    int answering = 0;
    for (const json& e : shortlist("town")) answering += e["answering_now"].get<bool>() ? 1 : 0;
    EXPECT_EQ(answering, 1);
}

TEST_F(executive_test, scores_reach_executives_only_when_an_admin_allows_it) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t id = approved("town", clean_text);
    add("town", id);
    const std::string q = "/api/v1/questions/" + std::to_string(id);
    auto hidden_everywhere = [&](bool hidden) {
        std::vector<json> seen = {as_exec(http::verb::get, q).body,
                                  as_exec(http::verb::get, "/api/v1/events/town/questions").body["items"][0],
                                  as_exec(http::verb::get, "/api/v1/events/town/ranking").body["items"][0]["question"],
                                  shortlist("town")[0]["question"]};
        for (const json& one : seen) {
            ASSERT_TRUE(one.is_object()) << one.dump();
            for (const char* member : {"scores", "spans", "verdict", "question_probability"})
                EXPECT_EQ(one.contains(member), !hidden) << member << " in " << one.dump();
            EXPECT_TRUE(one.contains("is_question")) << one.dump();
        }
        auto trail = as_exec(http::verb::get, q + "/decisions");
        ASSERT_EQ(trail.status, 200u) << trail;
        EXPECT_EQ(trail.body["items"][0]["reason"].get<std::string>().empty(), hidden)
            << "the automatic verdict quotes scores: " << trail;
    };
    hidden_everywhere(true);
    // Moderators always see them.
    EXPECT_TRUE(call(http::verb::get, q, {}, bearer(token_for("moderator", "mo"))).body.contains("scores"));

    EXPECT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"executives_see_scores": true})",
                   exec()).status, 403u);
    auto allowed = call(http::verb::put, "/api/v1/events/town/settings", R"({"executives_see_scores": true})");
    ASSERT_EQ(allowed.status, 200u) << allowed;
    EXPECT_EQ(allowed.body, (json{{"anonymous", false}, {"executives_see_scores", true}, {"display_public", false},
                                     {"audience_off", false}, {"questions_closed", false}, {"name_required", false}}));
    hidden_everywhere(false);
}

TEST_F(executive_test, event_settings_by_role_and_their_errors) {
    ASSERT_FALSE(create_event("town", false).is_null());
    ASSERT_FALSE(create_event("other", false).is_null());
    for (const header_list& who : {exec(), bearer(token_for("moderator", "mo")), bearer(token_for("api_client", "bridge"))}) {
        auto r = call(http::verb::get, "/api/v1/events/town/settings", {}, who);
        EXPECT_EQ(r.status, 200u) << r;
    }
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/settings", {},
                   bearer(token_for("moderator", "other-mod", "other"))).status, 403u);
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/settings", {},
                   bearer(token_for("display", "room", "town"))).status, 403u);
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/events/town/settings").status, 401u);
    EXPECT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"anonymous": true})",
                   bearer(token_for("moderator", "mo"))).status, 403u);
    expect_error(call(http::verb::put, "/api/v1/events/town/settings", R"({"loud": true})"), 400, "invalid_field");
    expect_error(call(http::verb::put, "/api/v1/events/town/settings", R"({"anonymous": "yes"})"), 400, "invalid_field");
    expect_error(call(http::verb::put, "/api/v1/events/nope/settings", R"({"anonymous": true})"), 404, "event_not_found");
    // Members not given keep their values.
    ASSERT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"anonymous": true})").status, 200u);
    auto r = call(http::verb::put, "/api/v1/events/town/settings", R"({"display_public": true})");
    EXPECT_EQ(r.body, (json{{"anonymous", true}, {"executives_see_scores", false}, {"display_public", true},
                            {"audience_off", false}, {"questions_closed", false}, {"name_required", false}}));
}

// A stand-in for the "is it a question?" model: a text ending in '?' is a question.
class ends_with_question_mark final : public question_signal {
public:
    float question_probability(const prepared_text& t) const override {
        return !t.original.empty() && t.original.back() == '?' ? 0.9f : 0.2f;
    }
};

TEST_F(executive_test, the_question_signal_is_stored_shown_and_filters_the_ranking) {
    stop();
    start(default_config(), std::make_unique<placeholder_classifier>(),
          std::make_unique<ends_with_question_mark>());
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t asked = approved("town", "Why are the fees so high?");
    const std::int64_t said = approved("town", "The fees are a scandal");
    const json q = get_question(asked);
    EXPECT_NEAR(q["question_probability"].get<double>(), 0.9, 1e-6);
    EXPECT_EQ(q["is_question"], true);
    EXPECT_EQ(get_question(said)["is_question"], false);
    // Executives without scores get the yes/no only.
    auto seen = as_exec(http::verb::get, "/api/v1/questions/" + std::to_string(said));
    EXPECT_EQ(seen.body["is_question"], false);
    EXPECT_FALSE(seen.body.contains("question_probability")) << seen;

    auto r = as_exec(http::verb::get, "/api/v1/events/town/ranking?questions_only=true");
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_EQ(r.body["items"].size(), 1u) << r;
    EXPECT_EQ(id_of(r.body["items"][0]["question"]), asked);
    EXPECT_EQ(r.body["hidden_not_questions"], 1);
    EXPECT_EQ(as_exec(http::verb::get, "/api/v1/events/town/ranking").body["items"].size(), 2u);

    // Stored: read back from the database after a restart without the model.
    restart_with([](server::config&) {});
    EXPECT_NEAR(get_question(asked)["question_probability"].get<double>(), 0.9, 1e-6);
    const std::int64_t later = approved("town", "And without a model?");
    EXPECT_TRUE(get_question(later)["question_probability"].is_null());
    EXPECT_TRUE(get_question(later)["is_question"].is_null());
}

}  // namespace
}  // namespace tribune::test

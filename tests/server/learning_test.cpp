// Issue 10 part 3 over HTTP: the moderators' decisions feed the event's correction
// (docs/api.md "Learning from the moderators"), a new question on the theme they decided moves
// out of review with `event_correction` saying by how much, GET .../learning says how many
// decisions it learned from, the policy switch turns it off, and an admin's reset forgets it.
//
// The shipped model (models/toxicity.tlm), not the placeholder: the correction learns on the
// model's own features.

#include <memory>
#include <string>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class learning_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }
    void SetUp() override {
        server_test::SetUp();
        if (HasFatalFailure()) return;
        auto m = linear_classifier::load(std::string(TRIBUNE_SOURCE_DIR) + "/models/toxicity.tlm");
        ASSERT_TRUE(m.is_ok()) << m.error().message();
        start(default_config(), std::move(m).value());
        if (HasFatalFailure()) return;
        create_event("askjpm", false);
        // Inheritance off: every probe below is triaged on its own scores and the correction.
        auto r = call(http::verb::put, "/api/v1/events/askjpm/policy",
                      json{{"inherit_group_decisions", false}}.dump());
        ASSERT_EQ(r.status, 200u) << r;
    }
    json learning() {
        auto r = get("/api/v1/events/askjpm/learning");
        EXPECT_EQ(r.status, 200u) << r;
        return r.body;
    }
    // Posts every text, then decides each one (as the moderator alice).
    void decide_all(const std::vector<std::string>& texts, const char* action) {
        std::vector<std::int64_t> ids;
        for (const std::string& t : texts) ids.push_back(id_of(post_text("askjpm", t)));
        for (std::int64_t id : ids) decide(id, action, "alice");
    }
};

const std::vector<std::string> nouns = {"mortgages", "savings", "pensions", "paychecks", "homes",
                                        "farms", "tuition", "rent", "wages", "dividends",
                                        "deposits", "bonuses", "benefits", "healthcare", "loans",
                                        "credit", "insurance", "stocks", "retirement", "taxes"};
const std::vector<std::string> places = {"Detroit", "Cleveland", "Memphis", "Baltimore", "Newark",
                                         "Camden", "Flint", "Gary", "Toledo", "Akron"};

// The event's own hostility: a nickname for the CEO. Moderators reject these.
std::vector<std::string> nickname_questions() {
    static const char* verbs[] = {"steals", "drains", "eats", "wants", "devours"};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < nouns.size(); ++i)
        out.push_back(std::string("Dimon the bloodsucker ") + verbs[i % 5] + " our " + nouns[i]);
    return out;
}

// Pointed but genuine questions. Moderators approve these.
std::vector<std::string> pointed_questions() {
    std::vector<std::string> out;
    for (const std::string& p : places) {
        out.push_back("Why do you keep closing branches in poor neighbourhoods of " + p + " while paying huge bonuses?");
        out.push_back("Will you lay off more people in " + p + " this year while paying huge bonuses?");
    }
    return out;
}

// A pointed question like those approved, just inside the shipped model's review band
// (toxicity 0.32, review from 0.28; without "while paying huge bonuses" the model approves it
// on its own, 0.20).
const std::string probe = "Why do you keep closing branches in poor neighborhoods of Springfield while paying huge bonuses?";

TEST_F(learning_test, decisions_on_a_theme_move_a_new_question_on_it_out_of_review) {
    json before = post_text("askjpm", probe);
    ASSERT_EQ(before["status"], "pending") << "the shipped model alone: " << before.dump();
    EXPECT_TRUE(before["event_correction"].is_null()) << before.dump();
    EXPECT_EQ(learning()["learned_from"]["decisions"], 0);

    decide_all(nickname_questions(), "reject");
    decide_all(pointed_questions(), "approve");

    // GET .../learning reads the new decisions before it answers.
    json l = learning();
    EXPECT_EQ(l["enabled"], true);
    EXPECT_GE(l["learned_from"]["decisions"].get<int>(), 30) << l.dump();
    EXPECT_EQ(l["learned_from"]["hostile"]["questions"], 20) << l.dump();
    EXPECT_GT(l["bound"]["now"].get<double>(), 0.0) << l.dump();

    json after = post_text("askjpm", probe);
    EXPECT_EQ(after["status"], "approved") << after.dump();
    ASSERT_TRUE(after["event_correction"].is_object()) << after.dump();
    EXPECT_LT(after["event_correction"]["delta"].get<double>(), 0.0);
    EXPECT_EQ(after["event_correction"]["moved_from"], "pending");
    // Stored: the question read back says the same.
    json read = get_question(id_of(after));
    EXPECT_EQ(read["event_correction"], after["event_correction"]);
    // And the metrics count it.
    auto m = get("/metrics");
    ASSERT_EQ(m.status, 200u);
    EXPECT_NE(m.raw.find("tribune_event_correction_questions_total{effect=\"moved\"} 1\n"), std::string::npos)
        << m.raw;

    // The switch off: the next one is triaged by the shipped model alone.
    auto r = call(http::verb::put, "/api/v1/events/askjpm/policy",
                  json{{"learn_from_decisions", false}}.dump());
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["learn_from_decisions"], false);
    json off = post_text("askjpm", probe);
    EXPECT_EQ(off["status"], "pending") << off.dump();
    EXPECT_TRUE(off["event_correction"].is_null()) << off.dump();
    EXPECT_EQ(learning()["enabled"], false);
}

TEST_F(learning_test, an_admin_reset_forgets_what_was_learned_and_moderators_may_not_reset) {
    decide_all(nickname_questions(), "reject");
    decide_all(pointed_questions(), "approve");
    ASSERT_GT(learning()["learned_from"]["decisions"].get<int>(), 0);

    const std::string mod = token_for("moderator", "alice", "askjpm");
    auto refused = call(http::verb::post, "/api/v1/events/askjpm/learning/reset", "{}", bearer(mod));
    EXPECT_EQ(refused.status, 403u) << refused;
    auto shown = call(http::verb::get, "/api/v1/events/askjpm/learning", {}, bearer(mod));
    EXPECT_EQ(shown.status, 200u) << shown;

    auto reset = call(http::verb::post, "/api/v1/events/askjpm/learning/reset", "{}");
    ASSERT_EQ(reset.status, 200u) << reset;
    EXPECT_EQ(reset.body["learned_from"]["decisions"], 0);
    EXPECT_EQ(reset.body["bound"]["now"], 0.0);
    ASSERT_TRUE(reset.body["reset"].is_object()) << reset;
    EXPECT_EQ(reset.body["reset"]["by"], "test-admin");

    json after = post_text("askjpm", probe);
    EXPECT_EQ(after["status"], "pending") << after.dump();
    EXPECT_TRUE(after["event_correction"].is_null()) << after.dump();
}

// Before any label: a stream hostile in a large share raises every new question's scores by
// the log-odds of the share the event's own scores show (event_prior.hpp), so a question the
// shipped model would approve just below its review line goes to review.
TEST_F(learning_test, a_hostile_stream_makes_the_lines_stricter_before_any_label) {
    // toxicity 0.236 with the shipped model, every head below its review line: approved.
    const std::string near_line = "Your bank is a joke, when will you fix the app?";
    json before = post_text("askjpm", near_line);
    ASSERT_EQ(before["status"], "approved") << before.dump();
    json l = learning();
    EXPECT_EQ(l["prior"]["in_force"], true) << l.dump();
    EXPECT_EQ(l["prior"]["shift"], 0.0) << "nothing before 200 questions: " << l.dump();
    EXPECT_EQ(l["prior"]["reference_share"], 0.5) << l.dump();

    // 300 questions, two thirds of them insults.
    for (int i = 0; i < 300; ++i) {
        const std::string n = nouns[static_cast<std::size_t>(i) % nouns.size()];
        const std::string p = places[static_cast<std::size_t>(i / 20) % places.size()];
        post_text("askjpm", i % 3 == 2 ? "How will you protect " + n + " in " + p + " next year, question " + std::to_string(i) + "?"
                                       : "You are disgusting clowns stealing our " + n + " in " + p + ", you idiots " + std::to_string(i));
    }
    l = learning();
    EXPECT_EQ(l["prior"]["questions_read"], 301) << l.dump();
    EXPECT_GT(l["prior"]["estimated_hostile_share"].get<double>(), 0.55) << l.dump();
    const double shift = l["prior"]["shift"].get<double>();
    EXPECT_GT(shift, 0.25) << l.dump();
    EXPECT_LE(shift, 1.5) << l.dump();

    json after = post_text("askjpm", near_line);
    EXPECT_EQ(after["status"], "pending") << after.dump();
    ASSERT_TRUE(after["event_correction"].is_object()) << after.dump();
    EXPECT_NEAR(after["event_correction"]["delta"].get<double>(), shift, 0.011) << after.dump();
    EXPECT_EQ(after["event_correction"]["moved_from"], "approved");

    // The dry-run of the policy in force applies the same shift: the first probe would move.
    auto dry = call(http::verb::post, "/api/v1/events/askjpm/policy/dry-run", "{}");
    ASSERT_EQ(dry.status, 200u) << dry;
    EXPECT_GE(dry.body["moved_by_correction"].get<int>(), 1) << dry;

    // Learning off: the shipped model's lines again, and the report says the shift is not in force.
    auto r = call(http::verb::put, "/api/v1/events/askjpm/policy", json{{"learn_from_decisions", false}}.dump());
    ASSERT_EQ(r.status, 200u) << r;
    json off = post_text("askjpm", near_line);
    EXPECT_EQ(off["status"], "approved") << off.dump();
    EXPECT_TRUE(off["event_correction"].is_null()) << off.dump();
    l = learning();
    EXPECT_EQ(l["prior"]["in_force"], false) << l.dump();
    EXPECT_EQ(l["prior"]["shift"], 0.0) << l.dump();
}

TEST_F(learning_test, unknown_event_answers_404) {
    auto r = get("/api/v1/events/nope/learning");
    EXPECT_EQ(r.status, 404u) << r;
}

TEST_F(learning_test, the_band_narrowing_switch_is_in_the_policy_the_report_and_survives_a_restart) {
    json band = learning()["band"];
    EXPECT_EQ(band["narrowing"], true) << band.dump();
    EXPECT_EQ(band["narrowed"], false) << "no labels, no calibration: " << band.dump();
    EXPECT_EQ(band["approve_at"], 0.0);
    EXPECT_EQ(band["reject_at"], 4.5);
    EXPECT_EQ(band["approve"]["max_error"], 0.1);
    EXPECT_EQ(band["min_labelled_groups"], 100);
    // No held-out check yet: the correction rejects nothing on its own.
    EXPECT_TRUE(band["own_reject"]["from"].is_null()) << band.dump();
    EXPECT_EQ(band["own_reject"]["checked_groups"], 0);
    EXPECT_DOUBLE_EQ(band["own_reject"]["max_error"].get<double>(), 0.03);

    auto bad = call(http::verb::put, "/api/v1/events/askjpm/policy", json{{"narrow_review_band", "no"}}.dump());
    EXPECT_EQ(bad.status, 400u) << bad;
    auto r = call(http::verb::put, "/api/v1/events/askjpm/policy", json{{"narrow_review_band", false}}.dump());
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["narrow_review_band"], false);
    EXPECT_EQ(r.body["learn_from_decisions"], true) << "the other switches are untouched";
    EXPECT_EQ(learning()["band"]["narrowing"], false);

    restart_with([](server::config&) {});
    auto policy = get("/api/v1/events/askjpm/policy");
    ASSERT_EQ(policy.status, 200u) << policy;
    EXPECT_EQ(policy.body["narrow_review_band"], false);
    EXPECT_EQ(learning()["band"]["narrowing"], false);

    // Auto-decided, unsure: on for a new event (read while inheritance is on, which this fixture
    // turned off); it waits for 100 decided groups, and guesses nothing until the held-out
    // check has drawn its lines; while it is on the correction does not reject on its own.
    EXPECT_EQ(get("/api/v1/events/askjpm/policy").body["auto_decide_unsure"], true);
    EXPECT_EQ(learning()["unsure"]["enabled"], false);  // inheritance is off
    EXPECT_EQ(learning()["band"]["own_rejections"], true);
    ASSERT_EQ(call(http::verb::put, "/api/v1/events/askjpm/policy",
                   json{{"inherit_group_decisions", true}}.dump()).status, 200u);
    auto on = call(http::verb::put, "/api/v1/events/askjpm/policy", json{{"auto_decide_unsure", true}}.dump());
    ASSERT_EQ(on.status, 200u) << on;
    EXPECT_EQ(on.body["auto_decide_unsure"], true);
    auto report = learning();
    auto unsure = report["unsure"];
    EXPECT_EQ(unsure["enabled"], true);
    EXPECT_EQ(unsure["active"], false);
    EXPECT_EQ(unsure["review_from_members"], 3);
    EXPECT_EQ(unsure["min_labelled_groups"], 100);
    EXPECT_EQ(unsure["approve_below_band_position"], 0);
    EXPECT_EQ(unsure["reject_from_band_position"], 1000);
    EXPECT_EQ(unsure["approve"]["checked_groups"], 0);
    EXPECT_DOUBLE_EQ(unsure["approve"]["max_error"].get<double>(), 0.18);
    EXPECT_DOUBLE_EQ(unsure["reject"]["max_error"].get<double>(), 0.15);
    EXPECT_EQ(report["band"]["own_rejections"], false);
    auto off = call(http::verb::put, "/api/v1/events/askjpm/policy", json{{"auto_decide_unsure", false}}.dump());
    ASSERT_EQ(off.status, 200u) << off;
    EXPECT_EQ(off.body["auto_decide_unsure"], false);
    EXPECT_EQ(learning()["unsure"]["enabled"], false);
    EXPECT_EQ(learning()["band"]["own_rejections"], true);
}

}  // namespace
}  // namespace tribune::test

// Per-event triage policy over HTTP (docs/api.md "Triage (automatic verdict) and the event
// policy"): GET defaults, PUT partial updates, thresholds at their exact edges, banned and
// suspect terms, pre-moderation, validation errors, and the dry run.
//
// Scores come from the placeholder classifier (core/placeholder_classifier.cpp):
// "idiot" -> insult 0.80 and toxicity 0.80; "stupid" -> insult 0.70 and toxicity 0.70;
// "kill" -> threat 0.95 and toxicity 0.95. Texts without a listed word score 0.

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

const char* const attributes[] = {"toxicity", "severe_toxicity", "insult",
                                  "profanity", "threat",          "identity_attack"};

class policy_test : public server_test {
protected:
    static std::string policy_target(std::string_view slug) {
        return "/api/v1/events/" + std::string(slug) + "/policy";
    }
    http_response put_policy(std::string_view slug, const json& body) const {
        return call(http::verb::put, policy_target(slug), body.dump());
    }
    http_response put_policy_raw(std::string_view slug, std::string body) const {
        return call(http::verb::put, policy_target(slug), std::move(body));
    }
    // PUT that must succeed.
    void set_policy(std::string_view slug, const json& body) {
        auto r = put_policy(slug, body);
        EXPECT_EQ(r.status, 200u) << "PUT policy " << body.dump() << ": " << r;
    }
    json get_policy(std::string_view slug) {
        auto r = get(policy_target(slug));
        EXPECT_EQ(r.status, 200u) << "GET policy of " << slug << ": " << r;
        if (r.status != 200) return {};
        return r.body;
    }
    http_response dry_run(std::string_view slug, const json& body) const {
        return post(policy_target(slug) + "/dry-run", body);
    }
};

using policy_dry_run_test = policy_test;

double bound(const json& policy, const char* attr, const char* which) {
    const json& v = policy.at("thresholds").at(attr).at(which);
    return v.get<double>();
}

// Decodes UTF-8 (the test's own strings are valid) to code points.
std::u32string code_points_of(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

std::string to_utf8(std::u32string_view cps) {
    std::string out;
    for (char32_t cp : cps) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

// The text of `q` between code point offsets [start, end).
std::string slice(const json& q, const json& span) {
    std::u32string cps = code_points_of(q.at("text").get<std::string>());
    auto start = span.at("start").get<std::size_t>();
    auto end = span.at("end").get<std::size_t>();
    if (start > end || end > cps.size()) return "<out of range " + span.dump() + ">";
    return to_utf8(std::u32string_view(cps).substr(start, end - start));
}

// The spans of `q` whose rule is `rule`.
std::vector<json> spans_with_rule(const json& q, std::string_view rule) {
    std::vector<json> out;
    for (const json& s : q.at("spans"))
        if (s.contains("rule") && s["rule"].is_string() && s["rule"].get<std::string>() == rule)
            out.push_back(s);
    return out;
}

bool contains(const json& s, std::string_view needle) {
    return s.is_string() && s.get<std::string>().find(needle) != std::string::npos;
}

// --- GET and PUT ---------------------------------------------------------------------------

TEST_F(policy_test, get_answers_the_defaults_of_a_new_event) {
    create_event("plain", false);
    create_event("strict", true);
    json p = get_policy("plain");
    ASSERT_TRUE(p.is_object()) << p.dump();
    EXPECT_EQ(p.value("premoderate", json()), false) << p.dump();
    EXPECT_EQ(p.value("banned", json()), json::array()) << p.dump();
    EXPECT_EQ(p.value("suspect", json()), json::array()) << p.dump();
    ASSERT_TRUE(p.contains("thresholds") && p["thresholds"].is_object()) << p.dump();
    EXPECT_EQ(p["thresholds"].size(), 6u) << p.dump();
    for (const char* a : attributes) {
        ASSERT_TRUE(p["thresholds"].contains(a)) << a << " missing: " << p.dump();
        const json& t = p["thresholds"][a];
        ASSERT_TRUE(t.contains("review_above") && t["review_above"].is_number()) << t.dump();
        ASSERT_TRUE(t.contains("reject_above") && t["reject_above"].is_number()) << t.dump();
        EXPECT_GE(bound(p, a, "review_above"), 0.0) << a;
        EXPECT_LE(bound(p, a, "review_above"), bound(p, a, "reject_above")) << a;
        EXPECT_LE(bound(p, a, "reject_above"), 1.01 + 1e-9) << a;
    }
    // The defaults GET shows are the ones in force: "idiot" (insult 0.80, toxicity 0.80) is
    // sent to review by whichever of the two bounds it exceeds by more.
    const double tox = bound(p, "toxicity", "review_above");
    const double ins = bound(p, "insult", "review_above");
    ASSERT_LE(std::min(tox, ins), 0.80) << "defaults no longer send review_text to review";
    json q = post_text("plain", review_text);
    EXPECT_EQ(q["status"], "pending") << q.dump();
    char want[64];
    std::snprintf(want, sizeof want, "%s 0.80 >= review %.2f", ins < tox ? "insult" : "toxicity",
                  std::min(tox, ins));
    EXPECT_EQ(q["verdict"], want) << q.dump();

    // A pre-moderated event starts with premoderate true and the same thresholds.
    json s = get_policy("strict");
    EXPECT_EQ(s.value("premoderate", json()), true) << s.dump();
    EXPECT_EQ(s["thresholds"], p["thresholds"]);

    // The seeded demo event has a policy too.
    EXPECT_EQ(get_policy("demo")["thresholds"], p["thresholds"]);
}

TEST_F(policy_test, put_replaces_only_the_members_given) {
    create_event("town", false);
    const json defaults = get_policy("town");

    set_policy("town", {{"banned", json::array({"crypto scam"})}, {"suspect", json::array({"fees"})}});
    set_policy("town", {{"thresholds", {{"insult", {{"review_above", 0.6}}}}}});
    json p = get_policy("town");
    EXPECT_NEAR(bound(p, "insult", "review_above"), 0.6, 1e-6) << p.dump();
    // The other bound of the same attribute and every other attribute are kept.
    EXPECT_EQ(p["thresholds"]["insult"]["reject_above"],
              defaults["thresholds"]["insult"]["reject_above"]);
    for (const char* a : attributes) {
        if (std::string_view(a) != "insult") {
            EXPECT_EQ(p["thresholds"][a], defaults["thresholds"][a]) << a;
        }
    }
    EXPECT_EQ(p["banned"], json::array({"crypto scam"})) << p.dump();
    EXPECT_EQ(p["suspect"], json::array({"fees"})) << p.dump();
    EXPECT_EQ(p["premoderate"], false);

    // A word list replaces that list only; thresholds and the other list stay.
    set_policy("town", {{"suspect", json::array({"bank", "minister"})}});
    json q = get_policy("town");
    EXPECT_EQ(q["suspect"], json::array({"bank", "minister"})) << q.dump();
    EXPECT_EQ(q["banned"], json::array({"crypto scam"})) << q.dump();
    EXPECT_EQ(q["thresholds"], p["thresholds"]);

    // premoderate alone; an empty list clears that list; {} changes nothing.
    set_policy("town", {{"premoderate", true}, {"banned", json::array()}});
    json r = get_policy("town");
    EXPECT_EQ(r["premoderate"], true);
    EXPECT_EQ(r["banned"], json::array());
    EXPECT_EQ(r["suspect"], q["suspect"]);
    EXPECT_EQ(r["thresholds"], p["thresholds"]);
    set_policy("town", json::object());
    EXPECT_EQ(get_policy("town"), r);

    // The event document follows the policy's premoderate.
    auto ev = get("/api/v1/events/town");
    ASSERT_EQ(ev.status, 200u) << ev;
    EXPECT_EQ(ev.body["premoderate"], true) << ev;

    // Another event's policy is untouched.
    json demo = get_policy("demo");
    EXPECT_EQ(demo["banned"], json::array());
    EXPECT_EQ(demo["suspect"], json::array());
    EXPECT_EQ(demo["thresholds"], defaults["thresholds"]);
}

TEST_F(policy_test, thresholds_accept_their_valid_range_edges) {
    create_event("edges", false);
    set_policy("edges", {{"thresholds",
                          {{"severe_toxicity", {{"review_above", 0.0}, {"reject_above", 1.01}}},
                           {"profanity", {{"review_above", 0.7}, {"reject_above", 0.7}}}}}});
    json p = get_policy("edges");
    EXPECT_NEAR(bound(p, "severe_toxicity", "review_above"), 0.0, 1e-6) << p.dump();
    EXPECT_NEAR(bound(p, "severe_toxicity", "reject_above"), 1.01, 1e-6) << p.dump();
    EXPECT_NEAR(bound(p, "profanity", "review_above"), 0.7, 1e-6) << p.dump();
    EXPECT_NEAR(bound(p, "profanity", "reject_above"), 0.7, 1e-6) << p.dump();
}

// --- thresholds to verdicts at their edges --------------------------------------------------

TEST_F(policy_test, review_above_is_inclusive_at_the_score) {
    create_event("review", false);
    // "idiot": insult 0.80 and toxicity 0.80. Both review bounds exactly at the score.
    set_policy("review", {{"thresholds", {{"insult", {{"review_above", 0.80}}},
                                          {"toxicity", {{"review_above", 0.80}}}}}});
    json at = post_text("review", review_text);
    ASSERT_NO_FATAL_FAILURE(expect_question_shape(at));
    EXPECT_EQ(at["status"], "pending") << at.dump();
    EXPECT_TRUE(contains(at["verdict"], "0.80 >= review 0.80")) << at.dump();

    // One hundredth above the score: under every threshold, approved.
    set_policy("review", {{"thresholds", {{"insult", {{"review_above", 0.81}}},
                                          {"toxicity", {{"review_above", 0.81}}}}}});
    json above = post_text("review", review_text);
    EXPECT_EQ(above["status"], "approved") << above.dump();
    EXPECT_EQ(above["verdict"], "below every threshold") << above.dump();

    // Only one of the two attributes above the score still sends it to review.
    set_policy("review", {{"thresholds", {{"toxicity", {{"review_above", 0.80}}}}}});
    json one = post_text("review", review_text);
    EXPECT_EQ(one["status"], "pending") << one.dump();
    EXPECT_TRUE(contains(one["verdict"], "toxicity 0.80 >= review 0.80")) << one.dump();

    // The stored questions keep their verdicts.
    EXPECT_EQ(get_question(id_of(at))["status"], "pending");
    EXPECT_EQ(get_question(id_of(above))["status"], "approved");
}

TEST_F(policy_test, reject_above_is_inclusive_at_the_score) {
    create_event("reject", false);
    set_policy("reject", {{"thresholds", {{"insult", {{"reject_above", 0.80}}}}}});
    json at = post_text("reject", review_text);
    EXPECT_EQ(at["status"], "auto_rejected") << at.dump();
    EXPECT_EQ(at["verdict"], "insult 0.80 >= reject 0.80") << at.dump();

    set_policy("reject", {{"thresholds", {{"insult", {{"reject_above", 0.81}}}}}});
    json above = post_text("reject", review_text);
    // Below reject, still above the (default) review bounds.
    EXPECT_EQ(above["status"], "pending") << above.dump();
    EXPECT_TRUE(contains(above["verdict"], "0.80 >= review ")) << above.dump();

    // toxicity at its edge rejects just the same; "stupid" (0.70) stays below it.
    set_policy("reject", {{"thresholds", {{"toxicity", {{"review_above", 0.5},
                                                        {"reject_above", 0.70}}}}}});
    json tox = post_text("reject", "Is this plan stupid?");
    EXPECT_EQ(tox["status"], "auto_rejected") << tox.dump();
    EXPECT_EQ(tox["verdict"], "toxicity 0.70 >= reject 0.70") << tox.dump();
}

TEST_F(policy_test, a_bound_of_1_01_turns_the_rule_off) {
    create_event("off", false);
    // "kill": threat 0.95 and toxicity 0.95, auto-rejected by default.
    json before = post_text("off", reject_text);
    ASSERT_EQ(before["status"], "auto_rejected") << before.dump();
    set_policy("off", {{"thresholds", {{"threat", {{"reject_above", 1.01}}},
                                       {"toxicity", {{"reject_above", 1.01}}}}}});
    json after = post_text("off", reject_text);
    EXPECT_EQ(after["status"], "pending") << after.dump();
    set_policy("off", {{"thresholds", {{"threat", {{"review_above", 1.01}}},
                                       {"toxicity", {{"review_above", 1.01}}}}}});
    json none = post_text("off", reject_text);
    EXPECT_EQ(none["status"], "approved") << none.dump();
}

TEST_F(policy_test, banned_term_rejects_obfuscated_text_with_a_span_of_the_original) {
    create_event("words", false);
    set_policy("words", {{"banned", json::array({"crypto scam"})}});
    // Code points before the match are not all one byte: "Ç" and "û" are two bytes each,
    // so byte offsets and code point offsets differ.
    const std::string text = "\xC3\x87" "a co\xC3\xBBte: CRYPTO   sc4m! Really?";
    json q = post_text("words", text);
    ASSERT_NO_FATAL_FAILURE(expect_question_shape(q));
    EXPECT_EQ(q["status"], "auto_rejected") << q.dump();
    EXPECT_TRUE(contains(q["verdict"], "banned")) << q.dump();
    EXPECT_TRUE(contains(q["verdict"], "crypto scam")) << q.dump();
    EXPECT_EQ(q["text"], text) << "the text is stored as sent";

    auto spans = spans_with_rule(q, "banned:crypto scam");
    ASSERT_EQ(spans.size(), 1u) << q["spans"].dump();
    EXPECT_EQ(spans[0]["start"], 10) << spans[0].dump();
    EXPECT_EQ(spans[0]["end"], 23) << spans[0].dump();
    EXPECT_EQ(slice(q, spans[0]), "CRYPTO   sc4m") << spans[0].dump();
    EXPECT_TRUE(spans[0].contains("attribute") && spans[0]["attribute"].is_string())
        << spans[0].dump();

    // Stored with the question.
    json stored = get_question(id_of(q));
    EXPECT_EQ(stored["status"], "auto_rejected");
    EXPECT_EQ(stored["verdict"], q["verdict"]);
    auto stored_spans = spans_with_rule(stored, "banned:crypto scam");
    ASSERT_EQ(stored_spans.size(), 1u) << stored["spans"].dump();
    EXPECT_EQ(slice(stored, stored_spans[0]), "CRYPTO   sc4m");

    // Whole words only: "cryptoscams" is not the term.
    json other = post_text("words", "Are cryptoscams a problem?");
    EXPECT_EQ(other["status"], "approved") << other.dump();
    EXPECT_TRUE(spans_with_rule(other, "banned:crypto scam").empty()) << other.dump();
}

TEST_F(policy_test, banned_term_beats_a_clean_score_and_the_audit_row_gives_the_rule) {
    create_event("audit", false);
    set_policy("audit", {{"banned", json::array({"fees"})}});
    json q = post_text("audit", clean_text);
    EXPECT_EQ(q["status"], "auto_rejected") << q.dump();
    EXPECT_EQ(q["verdict"], "banned term 'fees'") << q.dump();
    auto d = get("/api/v1/questions/" + std::to_string(id_of(q)) + "/decisions");
    ASSERT_EQ(d.status, 200u) << d;
    ASSERT_EQ(d.body["items"].size(), 1u) << d;
    const json& row = d.body["items"][0];
    EXPECT_EQ(row["from"], nullptr) << row.dump();
    EXPECT_EQ(row["to"], "auto_rejected") << row.dump();
    EXPECT_EQ(row["reason"], q["verdict"]) << row.dump();
}

TEST_F(policy_test, suspect_term_holds_and_names_the_term) {
    create_event("susp", false);
    set_policy("susp", {{"suspect", json::array({"fees"})}});
    json q = post_text("susp", "What is the bank doing about F33S?");
    EXPECT_EQ(q["status"], "held") << q.dump();
    EXPECT_TRUE(contains(q["verdict"], "suspect")) << q.dump();
    EXPECT_TRUE(contains(q["verdict"], "fees")) << q.dump();
    auto spans = spans_with_rule(q, "suspect:fees");
    ASSERT_EQ(spans.size(), 1u) << q["spans"].dump();
    EXPECT_EQ(slice(q, spans[0]), "F33S") << spans[0].dump();

    // A reject score beats a suspect term; a suspect term beats a review score.
    json kill = post_text("susp", "The fees will kill us");
    EXPECT_EQ(kill["status"], "auto_rejected") << kill.dump();
    json insult = post_text("susp", "These fees are set by an idiot");
    EXPECT_EQ(insult["status"], "held") << insult.dump();
    EXPECT_TRUE(contains(insult["verdict"], "fees")) << insult.dump();
    // Without the term it is approved.
    json clean = post_text("susp", "When does the session start?");
    EXPECT_EQ(clean["status"], "approved") << clean.dump();
}

TEST_F(policy_test, premoderate_holds_what_is_under_every_threshold) {
    create_event("premod", false);
    json before = post_text("premod", clean_text);
    EXPECT_EQ(before["status"], "approved") << before.dump();

    set_policy("premod", {{"premoderate", true}});
    json held = post_text("premod", clean_text);
    EXPECT_EQ(held["status"], "held") << held.dump();
    EXPECT_TRUE(contains(held["verdict"], "pre-moderat")) << held.dump();
    // Scores still decide first.
    EXPECT_EQ(post_text("premod", review_text)["status"], "pending");
    EXPECT_EQ(post_text("premod", reject_text)["status"], "auto_rejected");

    set_policy("premod", {{"premoderate", false}});
    EXPECT_EQ(post_text("premod", clean_text)["status"], "approved");
    // Earlier questions keep their verdicts.
    EXPECT_EQ(get_question(id_of(before))["status"], "approved");
    EXPECT_EQ(get_question(id_of(held))["status"], "held");
}

TEST_F(policy_test, a_change_applies_to_the_very_next_question) {
    create_event("next", false);
    for (int round = 0; round < 3; ++round) {
        set_policy("next", {{"suspect", json::array({"bank"})}});
        EXPECT_EQ(post_text("next", clean_text)["status"], "held") << "round " << round;
        set_policy("next", {{"suspect", json::array()}});
        EXPECT_EQ(post_text("next", clean_text)["status"], "approved") << "round " << round;
    }
}

// --- bad bodies -------------------------------------------------------------------------------

TEST_F(policy_test, bad_bodies_answer_400_and_change_nothing) {
    create_event("bad", false);
    set_policy("bad", {{"banned", json::array({"crypto scam"})}});
    const json before = get_policy("bad");

    auto th = [](const char* attr, json bounds) { return json{{"thresholds", {{attr, bounds}}}}; };
    // invalid_threshold: outside 0..1.01, or review above reject (also when only one bound
    // is given and the other is the current one).
    expect_error(put_policy("bad", th("toxicity", {{"review_above", -0.01}})), 400, "invalid_threshold");
    expect_error(put_policy("bad", th("toxicity", {{"reject_above", 1.02}})), 400, "invalid_threshold");
    expect_error(put_policy("bad", th("insult", {{"review_above", 0.9}, {"reject_above", 0.8}})),
                 400, "invalid_threshold");
    expect_error(put_policy("bad", th("toxicity", {{"review_above",
                                                    bound(before, "toxicity", "reject_above") + 0.01}})),
                 400, "invalid_threshold");
    const double threat_review = bound(before, "threat", "review_above");
    expect_error(put_policy("bad", th("threat", {{"reject_above", threat_review - 0.01}})), 400,
                 "invalid_threshold");

    // invalid_field: unknown members, wrong types.
    expect_error(put_policy("bad", {{"color", "red"}}), 400, "invalid_field");
    expect_error(put_policy("bad", {{"premoderate", "yes"}}), 400, "invalid_field");
    expect_error(put_policy("bad", {{"thresholds", json::array()}}), 400, "invalid_field");
    expect_error(put_policy("bad", th("spam", {{"review_above", 0.5}})), 400, "invalid_field");
    expect_error(put_policy("bad", th("toxicity", 0.5)), 400, "invalid_field");
    expect_error(put_policy("bad", th("toxicity", {{"block_above", 0.5}})), 400, "invalid_field");
    expect_error(put_policy("bad", th("toxicity", {{"review_above", "0.5"}})), 400, "invalid_field");
    expect_error(put_policy("bad", th("toxicity", {{"review_above", nullptr}})), 400, "invalid_field");
    expect_error(put_policy("bad", {{"banned", "crypto"}}), 400, "invalid_field");
    expect_error(put_policy("bad", {{"banned", json::array({1, 2})}}), 400, "invalid_field");
    expect_error(put_policy("bad", {{"suspect", json::array({"ok", nullptr})}}), 400, "invalid_field");

    // Terms.
    expect_error(put_policy("bad", {{"banned", json::array({""})}}), 400, "empty_term");
    expect_error(put_policy("bad", {{"suspect", json::array({"fees", "   "})}}), 400, "empty_term");
    expect_error(put_policy("bad", {{"banned", json::array({"--"})}}), 400, "empty_term");
    expect_error(put_policy("bad", {{"banned", json::array({std::string(101, 'a')})}}), 400, "term_too_long");
    {
        json many = json::array();
        for (int i = 0; i < 10'001; ++i) many.push_back("a");
        expect_error(put_policy("bad", {{"suspect", many}}), 400, "too_many_terms");
    }

    // Not JSON, not an object.
    expect_error(put_policy_raw("bad", "{\"banned\": "), 400, "invalid_json");
    expect_error(put_policy_raw("bad", "not json"), 400, "invalid_json");
    expect_error(put_policy_raw("bad", R"([{"premoderate": true}])"), 400, "invalid_json");
    expect_error(put_policy_raw("bad", ""), 400, "invalid_json");

    // A bad member fails the whole document: the good members are not applied either.
    expect_error(put_policy("bad", {{"premoderate", true}, {"banned", json::array({""})}}), 400, "empty_term");
    expect_error(put_policy("bad", {{"suspect", json::array({"fees"})},
                                    {"thresholds", {{"toxicity", {{"reject_above", 2}}}}}}),
                 400, "invalid_threshold");

    EXPECT_EQ(get_policy("bad"), before) << "a rejected PUT changed the policy";
    // And verdicts still follow the old policy.
    EXPECT_EQ(post_text("bad", clean_text)["status"], "approved");
}

TEST_F(policy_test, unknown_event_and_wrong_method) {
    expect_error(get("/api/v1/events/nope/policy"), 404, "event_not_found");
    expect_error(put_policy("nope", {{"premoderate", true}}), 404, "event_not_found");
    expect_error(post("/api/v1/events/nope/policy/dry-run", {{"premoderate", true}}), 404,
                 "event_not_found");
    expect_error(call(http::verb::delete_, "/api/v1/events/demo/policy"), 405, "method_not_allowed");
    expect_error(get("/api/v1/events/demo/policy/dry-run"), 405, "method_not_allowed");
    // Nothing was created by the 404s.
    expect_error(get("/api/v1/events/nope"), 404, "event_not_found");
}

// --- dry run ------------------------------------------------------------------------------------

class policy_dry_run_fixture : public policy_test {
protected:
    void SetUp() override {
        policy_test::SetUp();
        if (HasFatalFailure()) return;
        create_event("dry", false);
        a = post_text("dry", "What is the bank doing about fees?");  // approved
        b = post_text("dry", "Are the fees going up next year?");    // approved
        c = post_text("dry", "When does the session start?");        // approved
        d = post_text("dry", review_text);                           // pending (0.80)
        e = post_text("dry", "Why are the fees so high, idiot?");    // pending (0.80)
        g = post_text("dry", reject_text);                           // auto_rejected
        // Decided by a human: never moved by a policy, never counted.
        f = post_text("dry", "More fees for nothing?");              // approved
        f = decide(id_of(f), "reject", "alice");
        h = post_text("dry", "Why is the speaker such an idiot?");   // pending
        h = decide(id_of(h), "approve", "bob");
        ASSERT_EQ(a["status"], "approved");
        ASSERT_EQ(d["status"], "pending");
        ASSERT_EQ(e["status"], "pending");
        ASSERT_EQ(g["status"], "auto_rejected");
        ASSERT_EQ(f["status"], "rejected");
        ASSERT_EQ(h["status"], "approved");
        policy_before = get_policy("dry");
    }

    // The dry run must not have saved anything: same policy, same verdict for a new question.
    void expect_nothing_saved() {
        EXPECT_EQ(get_policy("dry"), policy_before) << "the dry run saved the policy";
        for (const json* q : {&a, &b, &c, &d, &e, &f, &g, &h}) {
            json now = get_question(id_of(*q));
            EXPECT_EQ(now["status"], q->value("status", json())) << "the dry run moved " << q->dump();
            EXPECT_EQ(now["version"], q->value("version", json())) << q->dump();
        }
    }

    json a, b, c, d, e, f, g, h;
    json policy_before;
};

std::int64_t move_count(const json& report, std::string_view from, std::string_view to) {
    std::int64_t n = 0;
    for (const json& m : report.at("moves"))
        if (m.at("from") == from && m.at("to") == to) n += m.at("count").get<std::int64_t>();
    return n;
}

std::set<std::int64_t> sample_ids(const json& report) {
    std::set<std::int64_t> ids;
    for (const json& s : report.at("samples")) ids.insert(id_of(s.at("question")));
    return ids;
}

TEST_F(policy_dry_run_fixture, suspect_term_counts_moves_and_samples_without_saving) {
    auto r = dry_run("dry", {{"suspect", json::array({"fees"})}});
    ASSERT_EQ(r.status, 200u) << r;
    json rep = r.body;
    // a b c d e g: six questions still at their automatic verdict; f and h were decided.
    EXPECT_EQ(rep["considered"], 6) << rep.dump();
    // a, b (approved -> held) and e (pending -> held); f would move too but a human decided it.
    EXPECT_EQ(rep["would_move"], 3) << rep.dump();
    ASSERT_TRUE(rep["moves"].is_array()) << rep.dump();
    EXPECT_EQ(move_count(rep, "approved", "held"), 2) << rep.dump();
    EXPECT_EQ(move_count(rep, "pending", "held"), 1) << rep.dump();
    std::int64_t total = 0;
    for (const json& m : rep["moves"]) total += m["count"].get<std::int64_t>();
    EXPECT_EQ(total, 3) << rep.dump();

    ASSERT_TRUE(rep["samples"].is_array()) << rep.dump();
    EXPECT_EQ(sample_ids(rep), (std::set<std::int64_t>{id_of(a), id_of(b), id_of(e)})) << rep.dump();
    for (const json& s : rep["samples"]) {
        EXPECT_EQ(s["to"], "held") << s.dump();
        EXPECT_TRUE(contains(s["reason"], "fees")) << s.dump();
        ASSERT_NO_FATAL_FAILURE(expect_question_shape(s["question"]));
        // The sample shows the question as it is now.
        EXPECT_NE(s["question"]["status"], "held") << s.dump();
    }
    expect_nothing_saved();
    EXPECT_EQ(post_text("dry", "Any news on the fees?")["status"], "approved")
        << "the dry run's word list applied to a new question";
}

TEST_F(policy_dry_run_fixture, thresholds_and_premoderate) {
    // Raising the review bounds above 0.80 would approve d and e; h (a human's) is not counted.
    auto r = dry_run("dry", {{"thresholds", {{"insult", {{"review_above", 0.9}}},
                                             {"toxicity", {{"review_above", 0.9}}}}}});
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["considered"], 6) << r;
    EXPECT_EQ(r.body["would_move"], 2) << r;
    EXPECT_EQ(move_count(r.body, "pending", "approved"), 2) << r;
    EXPECT_EQ(sample_ids(r.body), (std::set<std::int64_t>{id_of(d), id_of(e)})) << r;

    // Pre-moderation would hold the three approved ones.
    auto p = dry_run("dry", {{"premoderate", true}});
    ASSERT_EQ(p.status, 200u) << p;
    EXPECT_EQ(p.body["would_move"], 3) << p;
    EXPECT_EQ(move_count(p.body, "approved", "held"), 3) << p;
    EXPECT_EQ(sample_ids(p.body), (std::set<std::int64_t>{id_of(a), id_of(b), id_of(c)})) << p;

    // Lowering reject to 0.80 would auto-reject the two pending ones.
    auto x = dry_run("dry", {{"thresholds", {{"insult", {{"reject_above", 0.8}}}}}});
    ASSERT_EQ(x.status, 200u) << x;
    EXPECT_EQ(x.body["would_move"], 2) << x;
    EXPECT_EQ(move_count(x.body, "pending", "auto_rejected"), 2) << x;

    // The current policy itself moves nothing.
    auto same = dry_run("dry", json::object());
    ASSERT_EQ(same.status, 200u) << same;
    EXPECT_EQ(same.body["considered"], 6) << same;
    EXPECT_EQ(same.body["would_move"], 0) << same;
    EXPECT_EQ(same.body["moves"], json::array()) << same;
    EXPECT_EQ(same.body["samples"], json::array()) << same;
    expect_nothing_saved();
}

TEST_F(policy_dry_run_fixture, bad_bodies_answer_400) {
    expect_error(dry_run("dry", {{"thresholds", {{"toxicity", {{"review_above", 1.5}}}}}}), 400,
                 "invalid_threshold");
    expect_error(dry_run("dry", {{"banned", json::array({" "})}}), 400, "empty_term");
    expect_error(dry_run("dry", {{"bogus", true}}), 400, "invalid_field");
    expect_error(call(http::verb::post, "/api/v1/events/dry/policy/dry-run", "{"), 400,
                 "invalid_json");
    expect_nothing_saved();
}

TEST_F(policy_dry_run_test, samples_are_capped_at_20_but_counts_are_exact) {
    create_event("many", false);
    for (int i = 0; i < 23; ++i)
        post_text("many", "Question " + std::to_string(i) + " about the fees?");
    post_text("many", "Unrelated question");
    auto r = dry_run("many", {{"banned", json::array({"fees"})}});
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["considered"], 24) << r;
    EXPECT_EQ(r.body["would_move"], 23) << r;
    EXPECT_EQ(move_count(r.body, "approved", "auto_rejected"), 23) << r;
    ASSERT_TRUE(r.body["samples"].is_array()) << r;
    EXPECT_EQ(r.body["samples"].size(), 20u) << r;
    std::set<std::int64_t> ids = sample_ids(r.body);
    EXPECT_EQ(ids.size(), 20u) << "duplicate samples";
    for (const json& s : r.body["samples"]) {
        EXPECT_EQ(s["to"], "auto_rejected") << s.dump();
        EXPECT_TRUE(contains(s["question"]["text"], "fees")) << s.dump();
    }
    EXPECT_EQ(get_policy("many")["banned"], json::array());
}

}  // namespace
}  // namespace tribune::test

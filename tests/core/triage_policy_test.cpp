#include "core/triage/triage_policy.hpp"

#include <gtest/gtest.h>

namespace tribune {
namespace {

classification with(attribute a, float score) {
    classification c;
    c.values[a] = score;
    return c;
}

TEST(triage_policy, below_every_threshold_is_approved) {
    auto p = triage_policy::defaults();
    verdict v = p.evaluate(classification{}, false);
    EXPECT_EQ(v.status, question_status::approved);
    EXPECT_EQ(v.reason, "below every threshold");
}

TEST(triage_policy, premoderated_event_holds_clean_questions) {
    auto p = triage_policy::defaults();
    EXPECT_EQ(p.evaluate(classification{}, true).status, question_status::held);
}

TEST(triage_policy, review_threshold_edge_is_inclusive) {
    triage_policy p;
    p.at(attribute::insult) = {0.5f, 0.9f};
    EXPECT_EQ(p.evaluate(with(attribute::insult, 0.49f), false).status, question_status::approved);
    verdict v = p.evaluate(with(attribute::insult, 0.5f), false);
    EXPECT_EQ(v.status, question_status::pending);
    EXPECT_EQ(v.reason, "insult 0.50 >= review 0.50");
    // Pre-moderation does not lower a flagged question to held.
    EXPECT_EQ(p.evaluate(with(attribute::insult, 0.6f), true).status, question_status::pending);
}

TEST(triage_policy, reject_threshold_edge_is_inclusive) {
    triage_policy p;
    p.at(attribute::threat) = {0.4f, 0.9f};
    EXPECT_EQ(p.evaluate(with(attribute::threat, 0.89f), false).status, question_status::pending);
    verdict v = p.evaluate(with(attribute::threat, 0.9f), false);
    EXPECT_EQ(v.status, question_status::auto_rejected);
    EXPECT_EQ(v.reason, "threat 0.90 >= reject 0.90");
}

TEST(triage_policy, reject_wins_over_review_and_strongest_reason_is_reported) {
    triage_policy p;
    p.at(attribute::insult) = {0.3f, 0.8f};
    p.at(attribute::identity_attack) = {0.3f, 0.6f};
    classification c;
    c.values[attribute::insult] = 0.85f;           // exceeds reject by 0.05
    c.values[attribute::identity_attack] = 0.95f;  // exceeds reject by 0.35
    verdict v = p.evaluate(c, false);
    EXPECT_EQ(v.status, question_status::auto_rejected);
    EXPECT_EQ(v.reason, "identity_attack 0.95 >= reject 0.60");
}

TEST(triage_policy, disabled_rule_never_fires) {
    triage_policy p;  // all thresholds above 1
    EXPECT_EQ(p.evaluate(with(attribute::profanity, 1.0f), false).status, question_status::approved);
}

TEST(triage_policy, unscored_question_waits_for_a_human) {
    verdict v = triage_policy::unscored("model fault");
    EXPECT_EQ(v.status, question_status::pending);
    EXPECT_EQ(v.reason, "not scored: model fault");
}

}  // namespace
}  // namespace tribune

// The per-event correction learned from moderators' decisions: the learner (labels, fit, bound)
// and the correction's verdict rules (event_learner.hpp, event_correction.hpp).

#include "core/triage/event_learner.hpp"
#include "core/triage/unsure_decision.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tribune {
namespace {

constexpr std::uint32_t theme = 7;     // a feature only the event's hostile questions carry
constexpr std::uint32_t neutral = 11;  // one every question carries

// A question of raw toxicity `tox` whose features are `ids` (each of value 1/sqrt(n)).
learning_example example(float tox, std::vector<std::uint32_t> ids) {
    learning_example ex;
    ex.raw[attribute::toxicity] = tox;
    const float v = 1.0f / std::sqrt(static_cast<float>(ids.size()));
    for (std::uint32_t id : ids) {
        ex.features.ids.push_back(id);
        ex.features.values.push_back(v);
    }
    return ex;
}

classification scored(const learning_example& ex) {
    classification c;
    c.values = ex.raw;
    return c;
}

// n hostile questions with the theme and n genuine ones without, all in the review band.
event_learner themed_learner(int n, learning_options o = {}) {
    event_learner l(o);
    for (int i = 0; i < n; ++i) {
        l.set_label(i, i, true, example(0.6f, {theme, neutral, 100u + static_cast<std::uint32_t>(i)}));
        l.set_label(1000 + i, 1000 + i, false, example(0.6f, {neutral, 2000u + static_cast<std::uint32_t>(i)}));
    }
    return l;
}

TEST(event_learner, no_labels_no_correction) {
    event_learner l;
    auto c = l.fit(triage_policy::defaults());
    EXPECT_EQ(c->bound(), 0.0f);
    EXPECT_TRUE(c->empty());
    auto ex = example(0.6f, {theme});
    EXPECT_EQ(c->delta(ex.features, ex.raw, triage_policy::defaults()), 0.0f);
}

TEST(event_learner, one_class_of_labels_moves_nothing) {
    event_learner l;
    for (int i = 0; i < 50; ++i) l.set_label(i, i, true, example(0.6f, {theme}));
    auto c = l.fit(triage_policy::defaults());
    EXPECT_EQ(c->bound(), 0.0f);
    EXPECT_EQ(c->counts().hostile_groups, 50);
    EXPECT_EQ(c->counts().genuine_groups, 0);
}

TEST(event_learner, decisions_on_a_theme_move_a_new_question_on_it_toward_them) {
    const triage_policy policy = triage_policy::defaults();
    auto c = themed_learner(60).fit(policy);
    auto on_theme = example(0.8f, {theme, neutral, 9999});
    auto off_theme = example(0.8f, {neutral, 9998});
    const float up = c->delta(on_theme.features, on_theme.raw, policy);
    const float down = c->delta(off_theme.features, off_theme.raw, policy);
    EXPECT_GT(up, 0.5f);
    EXPECT_LT(down, up - 1.0f) << up;
    // The question on the theme leaves review for rejection; the other one does not.
    EXPECT_EQ(c->apply(on_theme.features, scored(on_theme), policy, false, {}).final.status,
              question_status::auto_rejected);
    EXPECT_NE(c->apply(off_theme.features, scored(off_theme), policy, false, {}).final.status,
              question_status::auto_rejected);
}

TEST(event_learner, a_handful_of_decisions_cannot_move_a_question_across_the_band) {
    const triage_policy policy = triage_policy::defaults();
    learning_options o;
    auto c = themed_learner(5, o).fit(policy);
    // 5 labels of each class: bound_max * 5 / (5 + bound_half).
    EXPECT_NEAR(c->bound(), o.bound_max * 5 / (5 + o.bound_half), 1e-5);
    // The default toxicity band, review 0.48 to reject 0.95, is about 3 logits wide.
    const float band = std::log(0.95f / 0.05f) - std::log(0.48f / 0.52f);
    EXPECT_LT(c->bound(), band / 4);
    // Even a question made only of the learned feature, at any score, moves at most the bound.
    for (float tox : {0.01f, 0.3f, 0.5f, 0.7f, 0.94f}) {
        auto ex = example(tox, {theme});
        ex.features.values[0] = 1000.0f;
        EXPECT_LE(std::fabs(c->delta(ex.features, ex.raw, policy)), c->bound() + 1e-6f);
    }
    // So a question just above its review line cannot be rejected by it.
    auto low = example(0.5f, {theme, neutral});
    EXPECT_EQ(c->apply(low.features, scored(low), policy, false, {}).final.status, question_status::pending);
}

TEST(event_learner, the_bound_grows_with_the_number_and_balance_of_labels) {
    event_learner l;
    EXPECT_EQ(l.bound_for(100, 0), 0.0f);
    EXPECT_LT(l.bound_for(5, 5), l.bound_for(40, 40));
    EXPECT_LT(l.bound_for(40, 40), l.bound_for(400, 400));
    EXPECT_EQ(l.bound_for(400, 5), l.bound_for(5, 400));
    EXPECT_LT(l.bound_for(400, 400), l.options().bound_max);
}

TEST(event_learner, never_approves_or_reviews_what_the_shipped_model_rejects) {
    const triage_policy policy = triage_policy::defaults();
    // A correction that pushes every question carrying `neutral` down as far as it may.
    const event_correction c({{neutral, -50.0f}}, correction_input_vector{}, 4.0f, 0.0f, {});
    auto rejected = example(0.97f, {neutral});  // toxicity 0.97 >= reject 0.95
    ASSERT_EQ(c.delta(rejected.features, rejected.raw, policy), -4.0f);
    corrected_triage t = c.apply(rejected.features, scored(rejected), policy, false, {});
    EXPECT_EQ(t.final.status, question_status::auto_rejected);
    EXPECT_EQ(t.delta, 0.0f);
    // A banned term stays a rejection; a suspect term still holds.
    auto flagged = example(0.6f, {neutral});
    word_match banned{term_kind::banned, "foo", 0, 3};
    EXPECT_EQ(c.apply(flagged.features, scored(flagged), policy, false, {banned}).final.status,
              question_status::auto_rejected);
    word_match suspect{term_kind::suspect, "bar", 0, 3};
    EXPECT_EQ(c.apply(flagged.features, scored(flagged), policy, false, {suspect}).final.status,
              question_status::held);
    // Without the words, the same question leaves review: approved, and the verdict says why.
    corrected_triage moved = c.apply(flagged.features, scored(flagged), policy, false, {});
    EXPECT_EQ(moved.final.status, question_status::approved);
    EXPECT_EQ(moved.raw.status, question_status::pending);
    EXPECT_TRUE(moved.moved());
    EXPECT_NE(moved.final.reason.find("event correction -4.00; pending without it"), std::string::npos)
        << moved.final.reason;
    // The corrected scores are the raw ones shifted by delta on every head's logit.
    EXPECT_NEAR(moved.corrected.values[attribute::toxicity], 1 / (1 + std::exp(-(std::log(0.6f / 0.4f) - 4))), 1e-5);
}

TEST(event_learner, the_corrected_band_is_mapped_onto_the_policys_band) {
    const triage_policy policy = triage_policy::defaults();
    const float review = policy.at(attribute::toxicity).review_above;
    const float reject = policy.at(attribute::toxicity).reject_above;
    ASSERT_LT(review, 0.85f);
    ASSERT_GT(reject, 0.9f);
    // No learned weights: the corrected margin u is the raw margin m, and reject_at = 6 maps
    // u in [0, 6) onto this question's band (toxicity review .. reject).
    const event_correction c({}, correction_input_vector{}, 10.0f, 6.0f, {});
    auto in_band = example(0.9f, {neutral});  // every other head 0: toxicity leads
    const float m = std::log(0.9f / 0.1f) - std::log(review / (1 - review));
    const float width = std::log(reject / (1 - reject)) - std::log(review / (1 - review));
    EXPECT_NEAR(c.delta(in_band.features, in_band.raw, policy), m * width / 6 - m, 1e-3);
    EXPECT_EQ(c.apply(in_band.features, scored(in_band), policy, false, {}).final.status,
              question_status::pending);
}

TEST(event_learner, a_group_is_one_label_however_many_members_were_decided) {
    const triage_policy policy = triage_policy::defaults();
    event_learner many = themed_learner(30);
    for (int i = 0; i < 500; ++i)  // 500 retweets of hostile question 0, decided in bulk
        many.set_label(5000 + i, 0, true, example(0.6f, {theme, neutral, 100}));
    auto c = many.fit(policy);
    EXPECT_EQ(c->counts().hostile_groups, 30);
    EXPECT_EQ(c->counts().hostile_questions, 530);
    EXPECT_EQ(c->bound(), themed_learner(30).fit(policy)->bound());
}

TEST(event_learner, undone_labels_are_forgotten_and_order_does_not_matter) {
    const triage_policy policy = triage_policy::defaults();
    event_learner a = themed_learner(20);
    event_learner b;  // the same labels, added in the opposite order
    for (int i = 19; i >= 0; --i) {
        b.set_label(1000 + i, 1000 + i, false, example(0.6f, {neutral, 2000u + static_cast<std::uint32_t>(i)}));
        b.set_label(i, i, true, example(0.6f, {theme, neutral, 100u + static_cast<std::uint32_t>(i)}));
    }
    auto probe = example(0.6f, {theme, neutral});
    EXPECT_EQ(a.fit(policy)->delta(probe.features, probe.raw, policy),
              b.fit(policy)->delta(probe.features, probe.raw, policy));
    for (int i = 0; i < 20; ++i) a.remove_label(i);
    EXPECT_EQ(a.counts().hostile_groups, 0);
    EXPECT_EQ(a.fit(policy)->bound(), 0.0f);
}

TEST(event_learner, keeps_at_most_max_groups_forgetting_the_oldest) {
    learning_options o;
    o.max_groups = 10;
    event_learner l(o);
    for (int i = 0; i < 25; ++i) l.set_label(i, i, i % 2 == 0, example(0.6f, {neutral}));
    EXPECT_EQ(l.counts().groups(), 10);
    EXPECT_FALSE(l.has_example(0));
    EXPECT_TRUE(l.has_example(24));
}

}  // namespace
}  // namespace tribune

namespace tribune {
namespace {

// A question triaged `status` with raw toxicity `tox` (every other head 0).
question triaged(question_status status, float tox) {
    question q;
    q.status = status;
    q.scored.values[attribute::toxicity] = tox;
    return q;
}

// The lowest toxicity (in steps of 0.001) whose review margin under `policy` is at least `m`.
float toxicity_at_margin(const triage_policy& policy, float m) {
    for (float t = 0.001f; t < 1.0f; t += 0.001f) {
        scores s{};
        s[attribute::toxicity] = t;
        if (event_correction::review_margin(s, policy) >= m) return t;
    }
    return 1.0f;
}

TEST(event_learner, escalation_sends_a_close_call_in_a_grown_undecided_group_to_review) {
    const triage_policy policy = triage_policy::defaults();
    const event_correction c({}, correction_input_vector{}, 1.0f, 0.0f, {}, escalation_rule{10, 1.0f, 3.0f});
    const question close = triaged(question_status::approved, toxicity_at_margin(policy, -0.5f));
    const question far = triaged(question_status::approved, toxicity_at_margin(policy, -2.5f));
    ASSERT_LT(event_correction::review_margin(far.scored.values, policy), -1.0f);

    EXPECT_TRUE(c.escalates(close, policy, 10));
    EXPECT_TRUE(c.escalates(close, policy, 500));
    EXPECT_FALSE(c.escalates(close, policy, 9)) << "the group is not grown yet";
    EXPECT_FALSE(c.escalates(far, policy, 500)) << "approved far from the line";

    // Rejected by the shipped model on its own: never escalated.
    question by_model = triaged(question_status::auto_rejected, 0.99f);
    EXPECT_FALSE(c.escalates(by_model, policy, 500));
    // Rejected by the correction, close to the shipped reject line: escalated.
    question by_correction = triaged(question_status::auto_rejected, toxicity_at_margin(policy, 0.5f));
    by_correction.correction = correction_note{1.0f, question_status::pending};
    EXPECT_TRUE(c.escalates(by_correction, policy, 10));

    // Off: after_members = 0 (the default of a correction built without a rule).
    const event_correction off({}, correction_input_vector{}, 1.0f, 0.0f, {});
    EXPECT_FALSE(off.escalates(close, policy, 500));
}

// CALIBRATED BAND (event_learner.hpp). Labels whose raw scores alone separate them: genuine
// questions low in the review band, hostile ones high in it, each its own group (ids of both
// parities, so each half of the held-out check sees both classes).
event_learner separated_learner(int per_class, learning_options o = {}) {
    event_learner l(o);
    const triage_policy policy = triage_policy::defaults();
    for (int i = 0; i < per_class; ++i) {
        const float step = static_cast<float>(i % 10) / 10.0f;
        l.set_label(i, i, false, example(toxicity_at_margin(policy, 0.1f + 0.8f * step), {neutral}));
        l.set_label(10000 + i, 10000 + i, true,
                    example(toxicity_at_margin(policy, 2.2f + 1.5f * step), {neutral}));
    }
    return l;
}

// A learner whose weights hardly move (strong L2): its corrected margins stay where the raw
// scores put them, inside the default band, which is where the calibration has work to do.
learning_options stiff() {
    learning_options o;
    o.l2_text = 50.0f;
    o.l2_inputs = 50.0f;
    return o;
}

// 200 genuine and 200 hostile labelled groups, each side's margins spread evenly over
// [from, from + span) in 20 steps: genuine from `genuine_from`, hostile from `hostile_from`.
void label_ramps(event_learner& l, const triage_policy& policy, float genuine_from,
                 float genuine_span, float hostile_from, float hostile_span) {
    for (int i = 0; i < 200; ++i) {
        const float step = static_cast<float>(i % 20) / 20.0f;
        l.set_label(i, i, false,
                    example(toxicity_at_margin(policy, genuine_from + genuine_span * step), {neutral}));
        l.set_label(10000 + i, 10000 + i, true,
                    example(toxicity_at_margin(policy, hostile_from + hostile_span * step), {neutral}));
    }
}

TEST(event_learner, the_band_narrows_where_held_out_labels_show_the_correction_right) {
    const triage_policy policy = triage_policy::defaults();
    const learning_options o = stiff();
    auto c = separated_learner(150, o).fit(policy);
    const learned_band& b = c->band();
    ASSERT_TRUE(b.narrowed);
    EXPECT_EQ(b.checked, 300);
    // Never wider than the default band, never crossed.
    EXPECT_GE(b.approve_at, 0.0f);
    EXPECT_LE(b.reject_at, o.reject_at);
    EXPECT_LE(b.approve_at, b.reject_at);
    // Each narrowed part rests on enough held-out groups, within its error limit.
    if (b.approve_at > 0.0f) {
        EXPECT_GE(b.approve_checked, o.band.min_checked);
        EXPECT_LE(b.approve_error, o.band.approve_error);
    }
    if (b.reject_at < o.reject_at) {
        EXPECT_GE(b.reject_checked, o.band.min_checked);
        EXPECT_LE(b.reject_error, o.band.reject_error);
    }
    // Somewhere in the review band a question now settles without a human when the policy
    // lets the band narrow, and still goes to review when it does not.
    int settled = 0;
    for (float margin = 0.05f; margin < 4.0f; margin += 0.05f) {
        auto ex = example(toxicity_at_margin(policy, margin), {neutral});
        const question_status wide = c->apply(ex.features, scored(ex), policy, false, {}, false).final.status;
        const question_status narrow = c->apply(ex.features, scored(ex), policy, false, {}, true).final.status;
        if (wide == question_status::pending && narrow != question_status::pending) ++settled;
        EXPECT_FALSE(wide != question_status::pending && narrow == question_status::pending)
            << "narrowing never sends to review what the default band settles (margin " << margin << ")";
    }
    EXPECT_GT(settled, 0);
}

TEST(event_learner, few_or_mixed_labels_leave_the_band_as_it_is) {
    const triage_policy policy = triage_policy::defaults();
    const learning_options o = stiff();
    // Fewer labelled groups than band.min_labels: no calibration at all.
    auto few = separated_learner(static_cast<int>(o.band.min_labels / 2) - 1, o).fit(policy);
    EXPECT_FALSE(few->band().narrowed);
    EXPECT_EQ(few->band().approve_at, 0.0f);
    EXPECT_EQ(few->band().reject_at, o.reject_at);
    // Plenty of labels, but hostile and genuine questions sit at the same scores: the
    // held-out check finds every part of the band about half wrong.
    event_learner mixed(o);
    for (int i = 0; i < 200; ++i) {
        const float tox = toxicity_at_margin(policy, 0.2f + 3.0f * static_cast<float>(i % 20) / 20.0f);
        mixed.set_label(i, i, i % 4 < 2, example(tox, {neutral}));
    }
    EXPECT_FALSE(mixed.fit(policy)->band().narrowed);
}

TEST(event_learner, a_narrowed_band_maps_its_lines_onto_the_policys) {
    const triage_policy policy = triage_policy::defaults();
    // No learned weights (u = m), default band [0, 4), calibrated band [1, 3).
    learned_band band{.approve_at = 1.0f, .reject_at = 3.0f, .narrowed = true};
    band.own_reject_at = 3.0f;  // its own rejections checked from the band's reject line up
    const event_correction c({}, correction_input_vector{}, 10.0f, 4.0f, band, {});
    const float review = policy.at(attribute::toxicity).review_above;
    const float reject = policy.at(attribute::toxicity).reject_above;
    const float width = std::log(reject / (1 - reject)) - std::log(review / (1 - review));
    for (float target : {0.5f, 2.0f, 3.2f}) {
        auto ex = example(toxicity_at_margin(policy, target), {neutral});
        const float m = event_correction::review_margin(ex.raw, policy);
        EXPECT_NEAR(c.delta(ex.features, ex.raw, policy, true), (m - 1.0f) * width / 2.0f - m, 1e-3) << m;
        EXPECT_NEAR(c.delta(ex.features, ex.raw, policy, false), m * width / 4.0f - m, 1e-3) << m;
    }
    auto low = example(toxicity_at_margin(policy, 0.5f), {neutral});
    EXPECT_EQ(c.apply(low.features, scored(low), policy, false, {}, true).final.status, question_status::approved);
    EXPECT_EQ(c.apply(low.features, scored(low), policy, false, {}, false).final.status, question_status::pending);
    auto high = example(toxicity_at_margin(policy, 3.2f), {neutral});
    ASSERT_EQ(policy.evaluate(scored(high), false).status, question_status::pending);
    EXPECT_EQ(c.apply(high.features, scored(high), policy, false, {}, true).final.status,
              question_status::auto_rejected);
    EXPECT_EQ(c.apply(high.features, scored(high), policy, false, {}, false).final.status, question_status::pending);
}

// UNSURE LINES (event_correction.hpp, learned_band; unsure_decision.hpp): the same held-out
// check as the band, with looser limits. Labels that overlap in the middle of the band: a
// strict limit narrows the band little, a loose one lets a small group be guessed further in.
TEST(event_learner, unsure_lines_are_checked_on_held_out_labels_and_guess_only_beyond_them) {
    const triage_policy policy = triage_policy::defaults();
    learning_options o = stiff();
    o.band.approve_error = 0.05f;
    o.band.reject_error = 0.05f;
    o.band.unsure_approve_error = 0.25f;
    o.band.unsure_reject_error = 0.25f;
    event_learner l(o);
    label_ramps(l, policy, 0.1f, 2.4f, 1.2f, 2.6f);
    auto c = l.fit(policy);
    const learned_band& b = c->band();
    // Both sides calibrated, each on enough held-out groups and within its own limit, never
    // narrower than the band's strict lines, never crossed.
    ASSERT_GT(b.unsure_approve_checked, 0);
    ASSERT_GT(b.unsure_reject_checked, 0);
    EXPECT_GE(b.unsure_approve_checked, o.band.min_checked);
    EXPECT_GE(b.unsure_reject_checked, o.band.min_checked);
    EXPECT_LE(b.unsure_approve_error, o.band.unsure_approve_error);
    EXPECT_LE(b.unsure_reject_error, o.band.unsure_reject_error);
    EXPECT_GE(b.unsure_approve_at, b.approve_at);
    EXPECT_LT(b.unsure_approve_at, b.unsure_reject_at);
    EXPECT_GT(b.unsure_approve_at, b.approve_at);

    // A question in review is guessed only beyond the unsure lines, in either band mapping.
    for (bool narrow : {false, true}) {
        const unsure_rule rule = calibrated_unsure_rule(unsure_rule{}, *c, narrow);
        int approved = 0, rejected = 0, left = 0;
        for (float margin = 0.02f; margin < 4.5f; margin += 0.02f) {
            auto ex = example(toxicity_at_margin(policy, margin), {neutral});
            const corrected_triage t = c->apply(ex.features, scored(ex), policy, false, {}, narrow);
            if (t.final.status != question_status::pending) continue;
            const float u = event_correction::review_margin(ex.raw, policy) + c->learned_shift(ex.features, ex.raw, policy);
            auto v = unsure_verdict(t.final, t.corrected.values, policy, 0, c->counts().groups(), rule);
            if (!v) {
                ++left;
                continue;
            }
            if (v->status == question_status::approved) {
                ++approved;
                EXPECT_LT(u, b.unsure_approve_at + 1e-3f) << margin;
            } else {
                ++rejected;
                EXPECT_GE(u, b.unsure_reject_at - 1e-3f) << margin;
            }
        }
        EXPECT_GT(approved, 0) << narrow;
        EXPECT_GT(rejected, 0) << narrow;
        EXPECT_GT(left, 0) << narrow;
    }

    // Too few labels: no unsure line, so the rule guesses nothing; nor does an event with
    // no correction.
    auto few = separated_learner(static_cast<int>(o.band.min_labels / 2) - 1, o).fit(policy);
    EXPECT_EQ(few->band().unsure_approve_checked, 0);
    EXPECT_EQ(few->band().unsure_reject_at, o.reject_at);
    for (const event_correction* none : {few.get(), static_cast<const event_correction*>(nullptr)}) {
        const event_correction empty;
        const unsure_rule rule = calibrated_unsure_rule(unsure_rule{}, none ? *none : empty, true);
        for (float margin = 0.02f; margin < 4.5f; margin += 0.1f) {
            const verdict in_band{question_status::pending, "x", verdict_rule::review};
            scores at{};
            at[attribute::toxicity] = toxicity_at_margin(policy, margin);
            EXPECT_FALSE(unsure_verdict(in_band, at, policy, 0, 1000, rule).has_value())
                << margin;
        }
    }
}

// OWN REJECTIONS (event_correction.hpp): with own_rejections false (an event with the unsure
// rule on), what only the correction would reject goes to review, in review by a score so the
// unsure rule may guess it; with it true, rejected as before. What the shipped model rejects
// stays rejected either way.
TEST(event_learner, without_own_rejections_what_only_the_correction_rejects_goes_to_review) {
    const triage_policy policy = triage_policy::defaults();
    learning_options o = stiff();
    o.reject_at = 1.5f;  // an upper line inside the policy's band
    event_learner l(o);
    label_ramps(l, policy, 0.1f, 1.0f, 1.7f, 1.8f);
    auto c = l.fit(policy);
    for (bool narrow : {false, true}) {
        int beyond = 0;
        for (float margin = 1.6f; margin < 3.6f; margin += 0.05f) {
            auto ex = example(toxicity_at_margin(policy, margin), {neutral});
            ASSERT_EQ(policy.evaluate(scored(ex), false).status, question_status::pending) << margin;
            const corrected_triage own = c->apply(ex.features, scored(ex), policy, false, {}, narrow, true);
            const corrected_triage not_own = c->apply(ex.features, scored(ex), policy, false, {}, narrow, false);
            if (own.final.status != question_status::auto_rejected) {
                EXPECT_EQ(not_own.final.status, own.final.status) << margin;
                continue;
            }
            ++beyond;
            EXPECT_EQ(not_own.final.status, question_status::pending) << margin;
            EXPECT_EQ(not_own.final.rule, verdict_rule::review) << margin;
            EXPECT_FALSE(not_own.moved()) << margin;
            EXPECT_EQ(not_own.delta, own.delta) << margin;
        }
        if (!narrow) {
            EXPECT_GT(beyond, 0);  // (narrowed, this band approves up to its upper line)
        }
    }
    // The shipped model's own rejection is untouched.
    auto high = example(0.99f, {neutral});
    ASSERT_EQ(policy.evaluate(scored(high), false).status, question_status::auto_rejected);
    EXPECT_EQ(c->apply(high.features, scored(high), policy, false, {}, true, false).final.status,
              question_status::auto_rejected);
}

}  // namespace
}  // namespace tribune

namespace tribune {
namespace {

// OWN REJECTIONS (event_learner.hpp, event_correction.hpp). A correction that adds 1 to every
// question's corrected margin (a constant input weight): a question at raw margin 3.2 of the
// default band [0, 4) has corrected margin 4.2, so the correction alone would reject it,
// while the shipped model leaves it in review.
TEST(event_learner, the_correction_rejects_on_its_own_only_from_its_checked_line) {
    const triage_policy policy = triage_policy::defaults();
    correction_input_vector plus_one{};
    plus_one[correction_inputs - 1] = 1.0f;
    auto ex = example(toxicity_at_margin(policy, 3.2f), {neutral});
    ASSERT_EQ(policy.evaluate(scored(ex), false).status, question_status::pending);
    auto with_line = [&](float own_reject_at) {
        learned_band b{.approve_at = 0.0f, .reject_at = 4.0f};
        b.own_reject_at = own_reject_at;
        return event_correction({}, plus_one, 10.0f, 4.0f, b, {});
    };
    // Its margin is above the checked line: rejected, and the verdict names the correction.
    const corrected_triage accepted = with_line(4.1f).apply(ex.features, scored(ex), policy, false, {});
    EXPECT_EQ(accepted.final.status, question_status::auto_rejected);
    EXPECT_NE(accepted.final.reason.find("pending without it"), std::string::npos) << accepted.final.reason;
    // Below the checked line: to review, saying why.
    const corrected_triage refused = with_line(4.3f).apply(ex.features, scored(ex), policy, false, {});
    EXPECT_EQ(refused.final.status, question_status::pending);
    EXPECT_EQ(refused.final.rule, verdict_rule::review);
    EXPECT_NE(refused.final.reason.find("rejects on its own only from 4.30"), std::string::npos)
        << refused.final.reason;
    // No checked line (the default): nothing is rejected on the correction's word alone...
    const corrected_triage unchecked = with_line(no_own_rejections).apply(ex.features, scored(ex), policy, false, {});
    EXPECT_EQ(unchecked.final.status, question_status::pending);
    EXPECT_NE(unchecked.final.reason.find("not checked on held-out decisions"), std::string::npos)
        << unchecked.final.reason;
    const event_correction plain({}, plus_one, 10.0f, 4.0f, {});
    EXPECT_EQ(plain.apply(ex.features, scored(ex), policy, false, {}).final.status, question_status::pending);
    // ...while what the shipped model rejects on its own stays rejected.
    auto over = example(0.97f, {neutral});
    EXPECT_EQ(plain.apply(over.features, scored(over), policy, false, {}).final.status, question_status::auto_rejected);
}

TEST(event_learner, the_own_rejection_line_is_drawn_where_held_out_labels_are_hostile) {
    const triage_policy policy = triage_policy::defaults();
    const learning_options o = stiff();
    // Genuine groups low in the band, hostile ones high: the top of the held-out groups is
    // hostile only, so the correction may reject from a line, checked on enough of them.
    event_learner clean(o);
    label_ramps(clean, policy, 0.1f, 1.5f, 2.5f, 3.0f);
    auto c = clean.fit(policy);
    const learned_band& b = c->band();
    ASSERT_LT(b.own_reject_at, no_own_rejections);
    EXPECT_GE(b.own_reject_checked, o.band.min_checked);
    EXPECT_LE(b.own_reject_error, o.band.own_reject_error);
    EXPECT_GE(b.own_reject_at, b.reject_at);
    // Some genuine groups among the highest held-out margins (a theme the correction wrongly
    // learned as hostile): the check fails, and the correction rejects nothing on its own.
    event_learner mixed(o);
    label_ramps(mixed, policy, 0.1f, 1.5f, 2.5f, 3.0f);
    for (int i = 0; i < 40; ++i)
        mixed.set_label(20000 + i, 20000 + i, false,
                        example(toxicity_at_margin(policy, 2.5f + 3.0f * static_cast<float>(i % 20) / 20.0f), {neutral}));
    auto m = mixed.fit(policy);
    EXPECT_EQ(m->band().own_reject_checked, 0);
    EXPECT_EQ(m->band().own_reject_at, no_own_rejections);
    // Fewer labelled groups than band.min_labels: no check, no own rejections.
    auto few = separated_learner(static_cast<int>(o.band.min_labels / 2) - 1, o).fit(policy);
    EXPECT_EQ(few->band().own_reject_at, no_own_rejections);
}

}  // namespace
}  // namespace tribune

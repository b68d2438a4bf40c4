// The label-free prior shift (event_prior.hpp) and how the correction applies it
// (event_correction::apply's prior_shift).

#include "core/triage/event_prior.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/triage/event_correction.hpp"

namespace tribune {
namespace {

// Scores calibrated at a class prior of 0.5 for a stream hostile in a share `share`: the
// log-odds x of a hostile question ~ N(+1, 1), of a genuine one ~ N(-1, 1); for two equal
// variance normals the posterior at prior 0.5 is sigmoid(2x), so these are calibrated there.
std::vector<float> calibrated_stream(double share, int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::bernoulli_distribution hostile(share);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<float> out;
    for (int i = 0; i < n; ++i) {
        const double x = (hostile(rng) ? 1.0 : -1.0) + noise(rng);
        out.push_back(static_cast<float>(1.0 / (1.0 + std::exp(-2.0 * x))));
    }
    return out;
}

float logit(float p) { return std::log(p / (1.0f - p)); }

TEST(event_prior, em_recovers_the_share_of_a_stream_calibrated_at_another_prior) {
    for (double share : {0.2, 0.5, 0.67, 0.85}) {
        const float pi = event_prior::estimate_share(calibrated_stream(share, 20000, 7), 0.5f, 200);
        EXPECT_NEAR(pi, share, 0.03) << "share " << share;
    }
    // The mean score alone is pulled toward the reference prior: EM is what corrects it.
    const std::vector<float> s = calibrated_stream(0.85, 20000, 7);
    double mean = 0;
    for (float p : s) mean += p;
    mean /= static_cast<double>(s.size());
    EXPECT_LT(mean, 0.80);
}

TEST(event_prior, no_shift_before_min_questions_then_the_log_odds_of_the_share) {
    event_prior p;  // window 2,000, min 200, every 100, max 1.5
    const std::vector<float> s = calibrated_stream(0.67, 2000, 11);
    for (int i = 0; i < 199; ++i) p.observe(s[static_cast<std::size_t>(i)]);
    EXPECT_EQ(p.shift(), 0.0f);
    EXPECT_FLOAT_EQ(p.estimate(), 0.5f);
    for (std::size_t i = 199; i < s.size(); ++i) p.observe(s[i]);
    EXPECT_NEAR(p.estimate(), 0.67, 0.05);
    EXPECT_NEAR(p.shift(), logit(p.estimate()) - logit(0.5f), 1e-4);
    EXPECT_GT(p.shift(), 0.4f);
    EXPECT_EQ(p.observed(), 2000u);
}

TEST(event_prior, the_shift_is_upward_only_and_bounded) {
    event_prior quiet;
    for (float v : calibrated_stream(0.1, 1000, 3)) quiet.observe(v);
    EXPECT_LT(quiet.estimate(), 0.2f);
    EXPECT_EQ(quiet.shift(), 0.0f);  // a quiet event keeps the shipped lines

    event_prior hostile;
    for (float v : calibrated_stream(0.99, 1000, 3)) hostile.observe(v);
    EXPECT_GT(hostile.estimate(), 0.9f);
    EXPECT_FLOAT_EQ(hostile.shift(), hostile.options().max_shift);
}

TEST(event_prior, old_scores_leave_the_window) {
    event_prior_options o;
    o.window = 500;
    event_prior p(o);
    for (float v : calibrated_stream(0.9, 500, 5)) p.observe(v);
    EXPECT_GT(p.shift(), 1.0f);
    for (float v : calibrated_stream(0.2, 500, 6)) p.observe(v);  // the window is all quiet now
    EXPECT_LT(p.estimate(), 0.3f);
    EXPECT_EQ(p.shift(), 0.0f);
}

TEST(event_prior, nan_and_out_of_range_scores_do_not_break_the_estimate) {
    event_prior p;
    for (int i = 0; i < 300; ++i) {
        p.observe(std::nanf(""));
        p.observe(i % 2 == 0 ? 2.0f : -1.0f);  // clamped to 1 and 0
    }
    EXPECT_EQ(p.observed(), 300u);
    EXPECT_TRUE(std::isfinite(p.estimate()));
    EXPECT_NEAR(p.estimate(), 0.5f, 0.01f);
}

// The correction with no labels applies the prior shift alone; it may send a question to
// review but never rejects on its own.
TEST(event_prior, the_correction_applies_the_shift_to_review_never_to_a_rejection) {
    triage_policy policy = triage_policy::defaults();
    const event_correction none;
    classification c;
    c.values[attribute::toxicity] = 0.22f;  // below the review line (0.28): approved
    const model_features no_features;
    corrected_triage plain = none.apply(no_features, c, policy, false, {});
    EXPECT_EQ(plain.final.status, question_status::approved);

    corrected_triage shifted = none.apply(no_features, c, policy, false, {}, false, true, 0.7f);
    EXPECT_EQ(shifted.raw.status, question_status::approved);
    EXPECT_EQ(shifted.final.status, question_status::pending);
    EXPECT_FLOAT_EQ(shifted.delta, 0.7f);
    EXPECT_TRUE(shifted.moved());

    c.values[attribute::toxicity] = 0.9f;  // in review; +1.5 would pass the reject line (0.95)
    for (bool own : {true, false}) {
        corrected_triage near_reject = none.apply(no_features, c, policy, false, {}, false, own, 1.5f);
        EXPECT_EQ(near_reject.raw.status, question_status::pending);
        EXPECT_EQ(near_reject.final.status, question_status::pending) << "own_rejections " << own;
    }
}

}  // namespace
}  // namespace tribune

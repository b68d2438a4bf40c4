// The shipped triage defaults (core/triage/triage_policy.cpp) against the committed model's
// calibrated thresholds: each review_above is the model's review threshold rounded down to
// two decimals, and no reject_above is below the model's 95%-precision point rounded to two
// decimals (or 0.95).
// A retrained model whose thresholds move makes this fail until the defaults follow.

#include <gtest/gtest.h>

#include <cmath>

#include "core/classify/linear_classifier.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {
namespace {

TEST(TriageDefaults, FollowTheCommittedModelsCalibratedThresholds) {
    auto clf = linear_classifier::load(TRIBUNE_MODEL_PATH);
    ASSERT_TRUE(clf.is_ok()) << clf.error().message();
    const triage_policy p = triage_policy::defaults();
    for (attribute a : all_attributes) {
        const head_thresholds& t = clf.value()->model().thresholds(a);
        const threshold& d = p.at(a);
        EXPECT_NEAR(d.review_above, std::floor(t.review * 100.0f) / 100.0f, 0.0051f) << to_string(a);
        EXPECT_LE(d.review_above, t.review) << to_string(a);
        EXPECT_GE(d.reject_above, 0.95f) << to_string(a);
        if (std::isfinite(t.reject)) EXPECT_GE(d.reject_above + 0.0051f, t.reject) << to_string(a);
        EXPECT_LT(d.review_above, d.reject_above) << to_string(a);
    }
}

}  // namespace
}  // namespace tribune

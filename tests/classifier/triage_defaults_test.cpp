// The shipped triage defaults (core/triage/triage_policy.cpp) against the committed model's
// calibrated thresholds: each review_above is the model's review threshold rounded down to
// two decimals (or a documented floor above it, so that everyday short texts stay approved), and no
// reject_above is below the model's 95%-precision point rounded to two decimals (or 0.95).
// A retrained model whose thresholds move makes this fail until the defaults follow.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/classify/linear_classifier.hpp"
#include "core/triage/event_prior.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {
namespace {

// The floors triage_policy.cpp documents.
const std::map<attribute, float> review_floor = {{attribute::threat, 0.72f},
                                                 {attribute::severe_toxicity, 0.60f}};

class TriageDefaults : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto c = linear_classifier::load(TRIBUNE_MODEL_PATH);
        ASSERT_TRUE(c.is_ok()) << c.error().message();
        clf_ = std::move(c).value().release();
    }
    static void TearDownTestSuite() {
        delete clf_;
        clf_ = nullptr;
    }
    static linear_classifier* clf_;
};
linear_classifier* TriageDefaults::clf_ = nullptr;

TEST_F(TriageDefaults, FollowTheCommittedModelsCalibratedThresholds) {
    const triage_policy p = triage_policy::defaults();
    for (attribute a : all_attributes) {
        const head_thresholds& t = clf_->model().thresholds(a);
        const threshold& d = p.at(a);
        if (const auto f = review_floor.find(a); f != review_floor.end()) {
            EXPECT_FLOAT_EQ(d.review_above, f->second) << to_string(a);
            EXPECT_GT(d.review_above, t.review) << to_string(a) << ": the floor is no longer above the model's pick";
        } else {
            EXPECT_NEAR(d.review_above, std::floor(t.review * 100.0f) / 100.0f, 0.0051f) << to_string(a);
            EXPECT_LE(d.review_above, t.review) << to_string(a);
        }
        EXPECT_GE(d.reject_above, 0.95f) << to_string(a);
        if (std::isfinite(t.reject)) {
            EXPECT_GE(d.reject_above + 0.0051f, t.reject) << to_string(a);
        }
        EXPECT_LT(d.review_above, d.reject_above) << to_string(a);
    }
}

// The prior the label-free shift assumes (event_prior.hpp) is the one the committed model's
// toxicity head is calibrated to, as the model card's thresholds table states it
// ("| toxicity | 0.5 | ..." under "calibrated to a prior of").
TEST_F(TriageDefaults, ThePriorShiftAssumesTheToxicityHeadsCalibrationPrior) {
    std::ifstream card(std::string(TRIBUNE_SOURCE_DIR) + "/models/MODEL_CARD.md");
    ASSERT_TRUE(card) << "models/MODEL_CARD.md";
    std::string line;
    bool in_table = false, found = false;
    while (std::getline(card, line)) {
        if (line.rfind("| attribute | calibrated to a prior of |", 0) == 0) in_table = true;
        if (in_table && line.rfind("| toxicity |", 0) == 0) {
            std::istringstream cells(line.substr(std::string("| toxicity |").size()));
            float prior = -1.0f;
            cells >> prior;
            EXPECT_FLOAT_EQ(prior, toxicity_reference_prior) << line;
            found = true;
            break;
        }
    }
    EXPECT_TRUE(found) << "no toxicity row in the card's calibration table";
}

// Short everyday texts, English and French: none may go to review under the defaults.
TEST_F(TriageDefaults, ShortNeutralTextsStayApproved) {
    const triage_policy p = triage_policy::defaults();
    for (const char* text : {"hello", "ok", "thanks", "merci", "bonjour", "Good morning everyone",
                             "Bonne soir\u00E9e \u00E0 tous", "When will the new branch open?",
                             "Quand ouvre la nouvelle agence ?", "Sent while the stream was down",
                             "What time is it?", "Is the session recorded?", "La session est-elle enregistr\u00E9e ?",
                             "yes", "oui", "no", "non", "Thank you!", "Great talk", "Super pr\u00E9sentation"}) {
        auto c = clf_->classify(text);
        ASSERT_TRUE(c.is_ok()) << text;
        const verdict v = p.evaluate(c.value(), false);
        EXPECT_EQ(v.status, question_status::approved) << text << ": " << v.reason;
    }
}

}  // namespace
}  // namespace tribune

// Functional tests of the committed model: the hand-written cases of
// tests/fixtures/classifier/functional_cases.tsv (negation, praise, counter-speech and quoting,
// neutral sentences naming a group, obfuscated slurs and insults, threats, derogation
// (explicit, implicit, phrased as a question), abuse of targets that are not a protected
// group, polite questions; English and French), scored per slice at each attribute's `decision`
// threshold. The minimums below were set from what the committed model does, minus a
// margin of about one case in ten; they are not goals (models/MODEL_CARD.md lists the
// measured shares). The trainer never trains on these cases.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <utility>

#include "core/classify/linear_classifier.hpp"
#include "tools/train/functional_cases.hpp"

namespace tribune {
namespace {

using slice_key = std::pair<std::string, std::string>;

// Minimum share of cases right per (slice, language).
const std::map<slice_key, double> minimum = {
    // measured with the committed model (models/MODEL_CARD.md) in the comment
    {{"derogation", "en"}, 0.75},          {{"derogation", "fr"}, 0.85},           // 0.850, 0.950
    {{"implicit_derogation", "en"}, 0.70}, {{"implicit_derogation", "fr"}, 0.70},  // 0.833, 0.833
    {{"hate_question", "en"}, 0.65},       {{"hate_question", "fr"}, 0.80},        // 0.750, 0.917
    {{"threat", "en"}, 0.60},              {{"threat", "fr"}, 0.75},               // 0.733, 0.867
    {{"slur_obfuscated", "en"}, 0.80},     {{"slur_obfuscated", "fr"}, 0.75},      // 0.933, 0.867
    {{"negation", "en"}, 0.60},            {{"negation", "fr"}, 0.60},             // 0.722, 0.722
    {{"praise", "en"}, 0.45},              {{"praise", "fr"}, 0.70},               // 0.562, 0.812
    {{"counter_speech", "en"}, 0.55},      {{"counter_speech", "fr"}, 0.40},       // 0.688, 0.500
    {{"neutral_identity", "en"}, 0.30},    {{"neutral_identity", "fr"}, 0.70},     // 0.438, 0.812
    {{"non_protected", "en"}, 0.80},       {{"non_protected", "fr"}, 0.30},        // 0.917, 0.417
    {{"polite_question", "en"}, 0.90},     {{"polite_question", "fr"}, 0.60},      // 1.000, 0.750
};

class Functional : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::ifstream in(TRIBUNE_SOURCE_DIR "/tests/fixtures/classifier/functional_cases.tsv");
        cases_ = train::read_functional_cases(in, malformed_);
    }
    static std::vector<train::functional_case> cases_;
    static std::size_t malformed_;
};
std::vector<train::functional_case> Functional::cases_;
std::size_t Functional::malformed_ = 0;

TEST_F(Functional, TheCaseFileIsWellFormedAndEverySliceHasAMinimum) {
    EXPECT_EQ(malformed_, 0u);
    EXPECT_GE(cases_.size(), 320u);
    std::map<slice_key, std::size_t> per_slice;
    for (const auto& c : cases_) {
        EXPECT_TRUE(c.lang == "en" || c.lang == "fr") << c.text;
        ++per_slice[{c.slice, c.lang}];
    }
    for (const auto& [key, n] : per_slice) {
        EXPECT_TRUE(minimum.count(key)) << "no minimum for slice " << key.first << "/" << key.second;
        EXPECT_GE(n, 10u) << key.first << "/" << key.second;
    }
    EXPECT_EQ(per_slice.size(), minimum.size());
}

TEST_F(Functional, CommittedModelReachesTheMinimumOfEverySlice) {
    auto clf = linear_classifier::load(TRIBUNE_MODEL_PATH);
    ASSERT_TRUE(clf.is_ok()) << clf.error().message();
    const auto results = train::score_functional_cases(*clf.value(), cases_);
    for (const auto& [key, r] : results) {
        const auto m = minimum.find(key);
        if (m == minimum.end()) continue;  // reported by the test above
        std::string wrong;
        for (const auto& t : r.wrong) wrong += "\n  " + t;
        EXPECT_GE(r.accuracy(), m->second)
            << key.first << "/" << key.second << ": " << r.right << " of " << r.n << " right; wrong:" << wrong;
    }
}

}  // namespace
}  // namespace tribune

// Tests of the "is it a question?" detector (core/classify/question_detector.hpp): the
// committed model against the hand-written cases of tests/fixtures/classifier/question_cases.tsv
// (minimum share right per slice and language), and the loader's contract (round trip,
// every kind of bad file refused with its error code, never a crash). The minimums were
// set from what the committed model does (models/QUESTION_MODEL_CARD.md lists the measured
// shares, in the comments below), minus a margin of about one case in ten; they are not
// goals. The trainer never trains on these cases.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/question_detector.hpp"
#include "core/classify/question_features.hpp"
#include "core/text/prepared_text.hpp"
#include "core/text/text_normalizer.hpp"
#include "tools/train/question_cases.hpp"

namespace tribune {
namespace {

using slice_key = std::pair<std::string, std::string>;

// Minimum share of cases right per (slice, language); measured with the committed model.
const std::map<slice_key, double> minimum = {
    {{"with_mark", "en"}, 0.90},           {{"with_mark", "fr"}, 0.90},            // 1.000, 1.000
    {{"without_mark", "en"}, 0.85},        {{"without_mark", "fr"}, 0.70},         // 1.000, 0.833
    {{"statement", "en"}, 0.75},           {{"statement", "fr"}, 0.85},            // 0.867, 1.000
    {{"statement_with_mark", "en"}, 0.50}, {{"statement_with_mark", "fr"}, 0.60},  // 0.600, 0.700
    {{"hostile_question", "en"}, 0.80},    {{"hostile_question", "fr"}, 0.80},     // 1.000, 1.000
};

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("tribune_qd_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::string read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

float probability(const question_detector& d, const std::string& text) {
    auto n = normalize(text);
    EXPECT_TRUE(n) << text;
    return n ? d.question_probability(std::string_view(n->text)) : -1.0f;
}

class QuestionDetector : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto loaded = question_detector::load(TRIBUNE_QUESTION_MODEL_PATH);
        ASSERT_TRUE(loaded) << loaded.error().message();
        model_ = std::move(loaded.value());
    }
    static void TearDownTestSuite() { model_.reset(); }
    static std::unique_ptr<question_detector> model_;
};
std::unique_ptr<question_detector> QuestionDetector::model_;

TEST_F(QuestionDetector, the_hand_written_cases_reach_their_minimum_per_slice) {
    std::ifstream in(TRIBUNE_SOURCE_DIR "/tests/fixtures/classifier/question_cases.tsv");
    ASSERT_TRUE(in);
    std::size_t malformed = 0;
    const auto cases = train::read_question_cases(in, malformed);
    EXPECT_EQ(malformed, 0u);
    ASSERT_GE(cases.size(), 100u);
    const auto results = train::score_question_cases(*model_, cases);
    for (const auto& [key, min] : minimum) {
        const auto it = results.find(key);
        ASSERT_NE(it, results.end()) << key.first << " " << key.second << " has no cases";
        std::string wrong;
        for (const std::string& w : it->second.wrong) wrong += "\n  " + w;
        EXPECT_GE(it->second.accuracy(), min)
            << key.first << " " << key.second << ": " << it->second.right << " of " << it->second.n
            << " right; wrong:" << wrong;
    }
    for (const auto& [key, r] : results)
        EXPECT_TRUE(minimum.count(key)) << "slice without a minimum: " << key.first << " " << key.second;
}

TEST_F(QuestionDetector, tells_a_question_from_a_statement_without_looking_at_hostility) {
    const float t = model_->threshold();
    EXPECT_GE(probability(*model_, "What time does the keynote start tomorrow?"), t);
    EXPECT_GE(probability(*model_, "why do you keep lying to us, you clowns?"), t);
    EXPECT_LT(probability(*model_, "Great talk, thank you so much!"), t);
    EXPECT_LT(probability(*model_, "Resign now! Shame on all of you!"), t);
}

TEST_F(QuestionDetector, the_prepared_text_and_the_normalised_text_give_the_same_probability) {
    for (const std::string text : {"Est-ce que la séance sera filmée ?", "No to the tram project!", ""}) {
        auto n = normalize(text);
        ASSERT_TRUE(n);
        prepared_text p{text, n.value(), n.value(), false};
        EXPECT_EQ(model_->question_probability(p), model_->question_probability(std::string_view(n->text))) << text;
    }
}

TEST_F(QuestionDetector, probabilities_stay_in_range_on_odd_input) {
    std::string long_text;
    for (int i = 0; i < 3000; ++i) long_text += i % 7 == 0 ? "why? " : "word ";
    for (const std::string& text : {std::string(), std::string("?"), std::string(4, '?') + "!!!!", long_text,
                                   std::string("\xF0\x9F\x98\x80 \xF0\x9F\x98\x80"), std::string(" \t ")}) {
        auto n = normalize(text);
        ASSERT_TRUE(n);
        const float p = model_->question_probability(std::string_view(n->text));
        EXPECT_GE(p, 0.0f);
        EXPECT_LE(p, 1.0f);
    }
}

TEST_F(QuestionDetector, scores_the_same_from_several_threads) {
    const std::vector<std::string> texts = {"How will the budget be funded?", "I fully support the plan.",
                                            "pensez-vous que le projet aboutira", "what about the layoffs"};
    std::vector<float> expected;
    for (const auto& t : texts) expected.push_back(probability(*model_, t));
    std::vector<std::vector<float>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < got.size(); ++k)
        threads.emplace_back([&, k] {
            for (int round = 0; round < 200; ++round)
                for (const auto& t : texts) got[k].push_back(probability(*model_, t));
        });
    for (auto& th : threads) th.join();
    for (const auto& g : got)
        for (std::size_t i = 0; i < g.size(); ++i) ASSERT_EQ(g[i], expected[i % texts.size()]);
}

// A small detector with seeded random weights, for the file-format tests.
question_detector random_detector(std::uint32_t buckets) {
    std::mt19937 rng(7);
    std::normal_distribution<float> w(0.0f, 1.0f);
    std::vector<float> weights(buckets);
    for (float& x : weights) x = w(rng);
    question_detector d = question_detector::quantize(weights, -0.25f);
    d.set_calibration(1.5f, 0.3f);
    d.set_threshold(0.42f);
    return d;
}

TEST(QuestionDetectorFile, a_saved_model_loads_back_with_the_same_scores) {
    const question_detector d = random_detector(1024);
    const std::string path = temp_path("roundtrip.tlm");
    ASSERT_TRUE(d.save(path));
    auto back = question_detector::load(path);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ((*back)->buckets(), 1024u);
    EXPECT_FLOAT_EQ((*back)->threshold(), 0.42f);
    EXPECT_FLOAT_EQ((*back)->calibration_a(), 1.5f);
    EXPECT_FLOAT_EQ((*back)->calibration_b(), 0.3f);
    for (const std::string text : {"What is this?", "this is a statement", "qui paie ?"})
        EXPECT_EQ(probability(**back, text), probability(d, text)) << text;
    std::remove(path.c_str());
}

TEST(QuestionDetectorFile, a_missing_file_is_model_missing) {
    auto r = question_detector::load(temp_path("does_not_exist.tlm"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), "model_missing");
}

TEST(QuestionDetectorFile, damaged_files_are_refused_as_model_corrupt) {
    const std::string path = temp_path("good.tlm");
    ASSERT_TRUE(random_detector(256).save(path));
    const std::string good = read_bytes(path);
    std::string flipped = good;
    flipped[40] = static_cast<char>(flipped[40] ^ 0x5a);  // a weight byte: the checksum catches it
    std::string bad_magic = good;
    bad_magic[0] = 'X';
    const std::vector<std::pair<std::string, std::string>> damaged = {
        {"empty", ""},
        {"magic only", good.substr(0, 8)},
        {"truncated", good.substr(0, good.size() - 9)},
        {"flipped weight", flipped},
        {"wrong magic", bad_magic},
        {"extra byte", good.substr(0, good.size() - 8) + "x" + good.substr(good.size() - 8)},
    };
    const std::string bad = temp_path("bad.tlm");
    for (const auto& [what, bytes] : damaged) {
        write_bytes(bad, bytes);
        auto r = question_detector::load(bad);
        ASSERT_FALSE(r) << what;
        EXPECT_EQ(r.error().code(), "model_corrupt") << what;
    }
    std::remove(path.c_str());
    std::remove(bad.c_str());
}

TEST(QuestionDetectorFile, the_toxicity_model_and_the_question_model_are_not_mistaken_for_each_other) {
    auto as_question = question_detector::load(TRIBUNE_MODEL_PATH);
    ASSERT_FALSE(as_question);
    EXPECT_EQ(as_question.error().code(), "model_corrupt");
    auto as_toxicity = linear_classifier::load(TRIBUNE_QUESTION_MODEL_PATH);
    EXPECT_FALSE(as_toxicity);
}

TEST(QuestionFeatures, a_final_question_mark_and_a_question_opening_change_the_features) {
    const question_features fx(1u << 16);
    auto features = [&](const std::string& text) {
        question_feature_set fs;
        fx.extract(normalize(text)->text, fs);
        for (std::uint32_t b : fs.buckets) EXPECT_LT(b, 1u << 16);
        std::sort(fs.buckets.begin(), fs.buckets.end());
        return fs.buckets;
    };
    EXPECT_NE(features("the plan is ready"), features("the plan is ready?"));
    EXPECT_NE(features("the plan is ready"), features("is the plan ready"));
    // The same words, one sentence or two: the sentence openings differ.
    EXPECT_NE(features("why. the plan is ready"), features("why the plan is ready"));
    EXPECT_EQ(features("Is the plan ready?"), features("Is the plan ready?"));
}

TEST(QuestionFeatures, an_empty_text_has_a_finite_scale) {
    const question_features fx(64);
    question_feature_set fs;
    fx.extract("", fs);
    EXPECT_GT(fs.scale, 0.0f);
    EXPECT_FALSE(fs.buckets.empty());  // the count and length features are always there
}

}  // namespace
}  // namespace tribune

#include "core/triage/near_duplicate_detector.hpp"
#include "core/util/mix64.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tribune {
namespace {

class near_duplicate_detector_test : public ::testing::Test {
protected:
    bool same(const std::string& a, const std::string& b) const {
        auto fa = detector_.fingerprint_of(a);
        auto fb = detector_.fingerprint_of(b);
        bool ab = detector_.same_question(fa, fb);
        EXPECT_EQ(ab, detector_.same_question(fb, fa)) << "not symmetric: " << a << " / " << b;
        return ab;
    }
    near_duplicate_detector detector_;
};

TEST_F(near_duplicate_detector_test, repeats_in_other_words_casing_and_spelling_are_the_same) {
    const std::vector<std::pair<std::string, std::string>> repeats = {
        {"When will you lower the overdraft fees?", "when will u lower overdraft fees??"},
        {"When will you lower the overdraft fees?", "WHEN WILL YOU LOWER THE OVERDRAFT FEES!!!"},
        {"When will you lower the overdraft fees?", "@bank when will you lower the overdraft fees"},
        {"When will you lower the overdraft fees?", "When will you lower the overdraft fees? #askbank"},
        {"When will you lower the overdraft fees?", "When will you lower the overdrft fees?"},  // typo
        {"Why did the bank pay bonuses while closing branches?",
         "why did the bank pay bonuses while closing so many branches"},
        {"Why did the bank pay bonuses while closing branches?",
         "Why does the bank pay bonuses when it is closing branches?"},
        {"Pourquoi les frais bancaires augmentent-ils encore ?",
         "pourquoi les frais bancaires augmentent encore"},
        {"Will you resign, you idiot?", "will you resign you 1d10t"},  // l33t folded first
    };
    for (const auto& [a, b] : repeats) EXPECT_TRUE(same(a, b)) << a << " / " << b;
}

TEST_F(near_duplicate_detector_test, questions_differing_in_the_word_that_matters_are_not) {
    const std::vector<std::pair<std::string, std::string>> different = {
        {"What is the capital of France?", "What is the capital of Spain?"},
        {"When will you lower fees for students?", "When will you lower fees for retirees?"},
        {"How many people are there in the world?", "How many people in the world speak French?"},
        {"What is the largest city in Germany?", "What is the largest city in the world?"},
        {"Will the CEO resign?", "Will the CFO resign?"},
        {"When will you lower the overdraft fees?", "When will you raise the savings rates?"},
        {"What is the population of Biloxi, Mississippi?", "What is the population of Mississippi?"},
        {"What does PSI stand for?", "What does SHIELD stand for?"},
    };
    for (const auto& [a, b] : different) EXPECT_FALSE(same(a, b)) << a << " / " << b;
}

TEST_F(near_duplicate_detector_test, numbers_are_content_without_typo_tolerance) {
    // One digit apart is another account, another year, another amount, not a typo.
    const std::vector<std::pair<std::string, std::string>> different = {
        {"Why was my account 12345 closed without notice?", "Why was my account 12346 closed without notice?"},
        {"Will you raise rates in 2027?", "Will you raise rates in 2028?"},
        {"Why did the fee go up to 35 dollars?", "Why did the fee go up to 36 dollars?"},
        {"Paged question 3?", "Paged question 4?"},  // a one-digit number is content too
        {"Is the 401k match changing?", "Is the 403b match changing?"},
    };
    for (const auto& [a, b] : different) EXPECT_FALSE(same(a, b)) << a << " / " << b;
    EXPECT_TRUE(same("Why was my account 12345 closed without notice?",
                     "why was my acount 12345 closed without notice??"));  // a typo in a word still is
}

TEST_F(near_duplicate_detector_test, questions_without_content_words_need_near_identity) {
    EXPECT_TRUE(same("Why??", "why"));
    EXPECT_FALSE(same("Why?", "Why not?"));
}

TEST_F(near_duplicate_detector_test, similarity_is_jaccard_of_four_grams) {
    auto a = detector_.fingerprint_of("overdraft fees");
    auto b = detector_.fingerprint_of("Overdraft   FEES!");
    EXPECT_DOUBLE_EQ(near_duplicate_detector::similarity(a, b), 1.0);
    auto c = detector_.fingerprint_of("savings rates");
    EXPECT_LT(near_duplicate_detector::similarity(a, c), 0.1);
}

TEST_F(near_duplicate_detector_test, empty_and_invalid_text_have_empty_fingerprints) {
    EXPECT_TRUE(detector_.fingerprint_of("").empty());
    EXPECT_TRUE(detector_.fingerprint_of("?!? ...").empty());
    EXPECT_TRUE(detector_.fingerprint_of("\xff\xfe").empty());
    auto e = detector_.fingerprint_of("");
    EXPECT_FALSE(detector_.same_question(e, e));
}

TEST_F(near_duplicate_detector_test, band_keys_are_stable_and_shared_by_near_copies) {
    auto a = detector_.fingerprint_of("When will you lower the overdraft fees?");
    auto a2 = detector_.fingerprint_of("When will you lower the overdraft fees?");
    EXPECT_EQ(a.bands, a2.bands);  // deterministic: keys are stored and compared later
    auto b = detector_.fingerprint_of("when will you lower the overdraft fees please");
    int shared = 0;
    for (std::size_t i = 0; i < near_duplicate_detector::band_count; ++i) shared += a.bands[i] == b.bands[i];
    EXPECT_GE(shared, 1);
    auto c = detector_.fingerprint_of("Is the chairman paid too much?");
    int unrelated = 0;
    for (std::size_t i = 0; i < near_duplicate_detector::band_count; ++i) unrelated += a.bands[i] == c.bands[i];
    EXPECT_EQ(unrelated, 0);
}

// The band keys as the detector documents them, computed one hash at a time: MinHash over the
// 4-gram hashes with 48 seeded mix64 functions, 16 bands of 3. Stored keys must stay
// what they were (the index is rebuilt from them at start), whichever of the detector's
// builds for the CPU (AVX-512, AVX2, baseline) computes them.
std::array<std::int64_t, near_duplicate_detector::band_count> reference_bands(
    const std::vector<std::uint64_t>& shingles) {
    constexpr std::size_t n = near_duplicate_detector::band_count * near_duplicate_detector::rows_per_band;
    std::array<std::uint64_t, n> seeds{};
    std::uint64_t x = 0x74726962756e65ULL;
    for (auto& v : seeds) v = mix64(x += 0x9e3779b97f4a7c15ULL);
    std::array<std::uint64_t, n> mins;
    mins.fill(~std::uint64_t{0});
    for (std::uint64_t h : shingles)
        for (std::size_t k = 0; k < n; ++k) mins[k] = std::min(mins[k], mix64(h ^ seeds[k]));
    std::array<std::int64_t, near_duplicate_detector::band_count> bands{};
    for (std::size_t b = 0; b < bands.size(); ++b) {
        std::uint64_t key = mix64(b + 1);
        for (std::size_t r = 0; r < near_duplicate_detector::rows_per_band; ++r)
            key = mix64(key ^ mins[b * near_duplicate_detector::rows_per_band + r]);
        bands[b] = static_cast<std::int64_t>(key);
    }
    return bands;
}

TEST_F(near_duplicate_detector_test, band_keys_are_the_documented_minhash_on_every_cpu_build) {
    std::string longer;
    for (int i = 0; i < 40; ++i) longer += "word" + std::to_string(i) + " ";
    for (const std::string& text :
         {std::string("When will you lower the overdraft fees?"), std::string("a b"),
          std::string("Quand allez-vous baisser les frais de découvert ?"), longer}) {
        auto fp = detector_.fingerprint_of(text);
        ASSERT_FALSE(fp.empty()) << text;
        EXPECT_EQ(fp.bands, reference_bands(fp.shingles)) << text;
    }
}

TEST_F(near_duplicate_detector_test, threshold_is_configurable) {
    near_duplicate_detector strict(near_duplicate_detector::options{0.95});
    auto a = strict.fingerprint_of("When will you lower the overdraft fees?");
    auto b = strict.fingerprint_of("when will u lower overdraft fees??");
    EXPECT_FALSE(strict.same_question(a, b));
    EXPECT_TRUE(same("When will you lower the overdraft fees?", "when will u lower overdraft fees??"));
}

}  // namespace
}  // namespace tribune

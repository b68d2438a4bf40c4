#pragma once
// near_duplicate_detector: decides whether two questions ask the same thing in nearly the
// same words ("When will you lower the overdraft fees?" / "when will u lower overdraft
// fees??"), so that the queue can fold them into one group and a moderator can decide a
// whole group at once.
//
// Two questions are the same when, on the normal form of their canonical text
// (prepared_text::normal: retweet prefixes, edge mentions and tags, links removed; case,
// accents, l33t, homoglyphs and invisible characters folded; punctuation dropped):
//  1. the Jaccard similarity of their sets of character 4-grams is at least
//     `min_similarity` (0.5 by default), and
//  2. every content word of the question with fewer content words has a near match in the
//     other: the same word, the same word give or take an ending of up to two letters
//     (fee/fees, student/students), or one typo in a word of five letters or more; a word
//     with a digit matches only itself ("account 12345" / "account 12346" differ). This
//     keeps apart template questions that differ in the one word that matters ("What is
//     the capital of France?" / "... of Spain?" are 0.62 similar); and
//  3. the other adds no content word without a match when it has fewer than four, else at
//     most one per five (at least one): "...while closing so many branches" still repeats
//     "...while closing branches"; "What is the population of Biloxi, Mississippi?" does
//     not repeat "What is the population of Mississippi?", nor "How many people speak
//     French in the world?" "How many people are there in the world?".
// Content words are words of two letters or more that are not on a short English and
// French stop list, and every word with a digit (a number is content, however short). A question without content words ("Why??") only matches a question
// at least 0.9 similar.
//
// Finding candidates without comparing against every stored question: a fingerprint
// carries 16 MinHash band keys of 3 rows each (locality-sensitive hashing). Two questions
// share at least one key with probability 1-(1-J^3)^16: 0.98 at similarity J = 0.6, 0.88
// at 0.5, 0.35 at 0.3.
//
// Thread safety: immutable after construction; every method is const and reentrant.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tribune {

class near_duplicate_detector {
public:
    static constexpr std::size_t band_count = 16;
    static constexpr std::size_t rows_per_band = 3;

    struct options {
        double min_similarity = 0.5;
    };

    struct fingerprint {
        std::vector<std::uint64_t> shingles;     // hashes of the 4-grams, sorted, distinct
        std::vector<std::u32string> content_words;
        std::array<std::int64_t, band_count> bands{};  // LSH keys; meaningless when empty()
        // True for a text with no word at all (nothing to compare).
        bool empty() const { return shingles.empty(); }
    };

    near_duplicate_detector() : near_duplicate_detector(options{}) {}
    explicit near_duplicate_detector(options o);

    // The fingerprint of a question's text. Text that is not valid UTF-8 has an empty one.
    fingerprint fingerprint_of(std::string_view text) const;
    // The same from the text's normal form (normalize(text)->text, prepared_text::normal),
    // which ingest already has: fingerprint_of(t) == fingerprint_of_normalized(normal of t).
    // REQUIRES: `normal` is valid UTF-8.
    fingerprint fingerprint_of_normalized(std::string_view normal) const;
    // What same_question() and similarity() read (4-grams and content words), without the
    // band keys (all zero): several times cheaper, for comparing a stored candidate.
    fingerprint comparable_of_normalized(std::string_view normal) const;

    // Jaccard similarity of the 4-gram sets, 0..1 (0 when either is empty).
    static double similarity(const fingerprint& a, const fingerprint& b);

    // The rule in the header comment. Symmetric; false when either is empty.
    bool same_question(const fingerprint& a, const fingerprint& b) const;

    const options& settings() const { return options_; }

private:
    options options_;
};

}  // namespace tribune

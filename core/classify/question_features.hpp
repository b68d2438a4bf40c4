#pragma once
// question_features: the hashed features of Tribune's "is it a question?" detector
// (question_detector.hpp), read from NORMALISED text (tribune::normalize). Tokens are the
// toxicity model's (text_features.hpp: words, and '?' and '!' as tokens of their own);
// sentences end at '?', '!' and at '.', ';', ':' between tokens. Features, each hashed
// into `buckets` rows:
//   - every token, and every pair of adjacent tokens;
//   - the first word and the first two words of every sentence, and again of the last
//     sentence (a question usually opens with "what", "do you", "est-ce que", "pensez vous"),
//     the last sentence's first word also paired with whether the text ends with '?';
//   - the last token and the last two tokens of the text;
//   - how many '?' the text has (0, 1, 2, 3 or more), whether one stands before its last
//     sentence, whether they stand at the end, only inside, or nowhere, and its length in
//     words (bucketed).
// The detector weighs '?' like any other feature: the trainer shows it questions without
// one, so that a question that lacks it is still recognised.
//
// Thread safety: immutable after construction; extract() is const and reentrant.

#include <cstdint>
#include <string_view>
#include <vector>

namespace tribune {

struct question_feature_set {
    std::vector<std::uint32_t> buckets;  // one per feature occurrence
    float scale = 0.0f;                  // 1 / sqrt(max(count, min_norm_sq))
};

class question_features {
public:
    static constexpr std::uint32_t min_norm_sq = 16;

    // REQUIRES: buckets is a power of two.
    explicit question_features(std::uint32_t buckets) : mask_(buckets - 1) {}

    // REQUIRES: `normalized` is valid UTF-8 (the output of tribune::normalize).
    void extract(std::string_view normalized, question_feature_set& out) const;

private:
    std::uint32_t mask_;
};

}  // namespace tribune

#pragma once
// linear_classifier: Tribune's trained local classifier. A fastText-style linear model
// (hashed word unigrams, bigrams, character n-grams, negation/quote scope and joined-pair
// features; one logistic head per attribute, Platt-calibrated; see linear_model.hpp for the
// format) applied to the normalised text. It reports six calibrated scores, the language,
// and spans from the model's token-level span model, mapped back to code point offsets of
// the original text.
//
// Spans: the tokens whose span probability reaches the model's span threshold (or, in a
// text whose toxicity reaches review, the model's relative share of the text's most
// probable token: linear_model.hpp), joined into
// one span when only spaces separate them. A span is reported for `toxicity` when the
// toxicity score reaches its review threshold or the span's probability is at least 0.5
// (the span model weighs the document's toxicity itself; the second rule finds the toxic
// word of a text scored just below review), and for every other attribute whose score
// reaches its review threshold and to which the span's tokens contribute positively.
// `weight` is the span's probability of being toxic (the largest of its tokens), in (0, 1].
//
// Thread safety: immutable after load(); classify() is const and safe to call from
// several threads at once (scratch buffers are thread_local).

#include <memory>
#include <string>
#include <string_view>

#include "core/classify/classifier.hpp"
#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {

class linear_classifier final : public classifier {
public:
    // Errors: not_found "model_missing" when the file cannot be opened; invalid_argument
    // "model_corrupt" when it is not a valid model. Never throws, never exits.
    static result<std::unique_ptr<linear_classifier>> load(const std::string& path);

    explicit linear_classifier(linear_model model, std::string description = "");

    using classifier::classify;  // classify(const prepared_text&): scores text.normal
    // Errors: invalid_argument "invalid_utf8" for malformed input.
    result<classification> classify(std::string_view text) const override;
    std::string name() const override;

    const linear_model& model() const { return model_; }

protected:
    // Scores text.normal; never fails.
    result<classification> score_prepared(const prepared_text& text) const override;

private:
    // Scores the normal form; spans map through its offsets to the original text.
    classification score(const normalized_text& n) const;

    linear_model model_;
    feature_extractor extractor_;
    std::string description_;
};

}  // namespace tribune

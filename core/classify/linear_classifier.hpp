#pragma once
// linear_classifier: Tribune's trained local classifier. A fastText-style linear model
// (hashed word unigrams, bigrams and character n-grams; one logistic head per attribute;
// see linear_model.hpp for why it is our own format rather than libfasttext) applied to
// the normalised text. It reports six scores, the language, and explanation spans: the
// tokens whose exact share of a head's pre-sigmoid score is large, mapped back to code
// point offsets of the original text.
//
// Spans are given for an attribute only when its score reaches the attribute's review
// threshold, for each token whose contribution is at least the model's span fraction of
// the largest token contribution to that attribute; `weight` is the token's share of the
// positive contributions to that attribute (0..1].
//
// Thread safety: immutable after load(); classify() is const and safe to call from
// several threads at once (scratch buffers are thread_local).

#include <memory>
#include <string>
#include <string_view>

#include "core/classify/classifier.hpp"
#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"

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

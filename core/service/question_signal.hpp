#pragma once
// question_signal: how likely a text is a question rather than a statement, a slogan or a rant
// (0..1) — the "is it a question?" signal the executives' page uses to hide what is not a
// question (docs/api.md "Question object", question_probability). The ingest pipeline asks it
// once per question, on the scoring worker, with the text prepared once (prepared_text), and
// stores the answer with the question.
//
// The model behind it is core/classify/question_detector (models/question.tlm, trained by
// tools/train), whose `float question_probability(const prepared_text&) const`
// model_question_signal adapts (`tribune serve` loads it from beside the toxicity model); the
// pipeline depends only on this interface, so tests give it a stand-in.
//
// Thread safety: question_probability() is const and must be safe from several scoring
// workers at once.

#include <memory>
#include <utility>

#include "core/text/prepared_text.hpp"

namespace tribune {

class question_signal {
public:
    virtual ~question_signal() = default;
    // REQUIRES: `text` was prepared by prepare_text(). Returns a probability in [0, 1].
    virtual float question_probability(const prepared_text& text) const = 0;
};

// The signal of any model with a `float question_probability(const prepared_text&) const`.
// Ownership: owns the model. REQUIRES: m is not null.
template <typename Model>
class model_question_signal final : public question_signal {
public:
    explicit model_question_signal(std::unique_ptr<const Model> m) : model_(std::move(m)) {}
    float question_probability(const prepared_text& text) const override {
        return model_->question_probability(text);
    }

private:
    const std::unique_ptr<const Model> model_;
};

}  // namespace tribune

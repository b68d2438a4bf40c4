#pragma once
// placeholder_classifier: the simplest honest scorer, a fixed English word list.
// Not a model: a word in the list sets its attributes to a fixed score; everything else
// scores 0. Used by tests that need deterministic scores and available as
// `tribune serve --classifier placeholder`.
//
// Thread safety: immutable after construction; classify() is safe from any thread.

#include "core/classify/classifier.hpp"

namespace tribune {

class placeholder_classifier final : public classifier {
public:
    using classifier::classify;  // classify(const prepared_text&): scores the original text
    result<classification> classify(std::string_view text) const override;
    std::string name() const override { return "placeholder word list"; }
};

}  // namespace tribune

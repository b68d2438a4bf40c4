#pragma once
// triage_policy: turns a classification into the automatic verdict for a new question.
//
// Rules, in order: a banned term -> auto_rejected; any score >= its reject_above ->
// auto_rejected; a suspect term -> held; any score >= its review_above -> pending (a human
// must look); else approved, or held when the event pre-moderates. A question that could
// not be scored is pending.
//
// Thread safety: a value; evaluate() is const and safe from any thread.

#include <array>
#include <string>

#include "core/domain/attribute.hpp"
#include "core/domain/classification.hpp"
#include "core/domain/question.hpp"
#include "core/text/word_list.hpp"

namespace tribune {

struct threshold {
    float review_above = 1.01f;  // > 1 disables the rule
    float reject_above = 1.01f;
    bool operator==(const threshold&) const = default;
};

// Which rule gave a verdict (decision_inheritance reads it: an approval a question inherits
// from its group must not override a banned term or a reject threshold).
enum class verdict_rule { banned, reject, suspect, review, premoderate, below, unscored };

struct verdict {
    question_status status = question_status::pending;
    std::string reason;  // e.g. "threat 0.97 >= reject 0.90"
    verdict_rule rule = verdict_rule::unscored;
};

class triage_policy {
public:
    // The defaults shipped with Tribune (see models/MODEL_CARD.md for how they were chosen).
    static triage_policy defaults();

    threshold& at(attribute a) { return thresholds_[static_cast<std::size_t>(a)]; }
    const threshold& at(attribute a) const { return thresholds_[static_cast<std::size_t>(a)]; }

    verdict evaluate(const classification& c, bool premoderate,
                     const std::vector<word_match>& words = {}) const;
    // The verdict for a question the classifier failed on.
    static verdict unscored(const std::string& why);

    bool operator==(const triage_policy&) const = default;

private:
    std::array<threshold, attribute_count> thresholds_{};
};

}  // namespace tribune

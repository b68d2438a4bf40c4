#include "core/triage_policy.hpp"

#include <cstdio>

namespace tribune {
namespace {

std::string describe(attribute a, float score, const char* rule, float limit) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*s %.2f >= %s %.2f", static_cast<int>(to_string(a).size()),
                  to_string(a).data(), static_cast<double>(score), rule,
                  static_cast<double>(limit));
    return buf;
}

}  // namespace

triage_policy triage_policy::defaults() {
    triage_policy p;
    p.at(attribute::toxicity) = {0.50f, 0.95f};
    p.at(attribute::severe_toxicity) = {0.40f, 0.80f};
    p.at(attribute::insult) = {0.50f, 0.95f};
    p.at(attribute::profanity) = {0.60f, 1.01f};
    p.at(attribute::threat) = {0.40f, 0.90f};
    p.at(attribute::identity_attack) = {0.40f, 0.90f};
    return p;
}

verdict triage_policy::evaluate(const classification& c, bool premoderate,
                                const std::vector<word_match>& words) const {
    for (const word_match& w : words)
        if (w.kind == term_kind::banned) return {question_status::auto_rejected, "banned term '" + w.term + "'"};

    // The strongest reason wins: the attribute that exceeds its limit by the most.
    const threshold* best = nullptr;
    attribute best_attr = attribute::toxicity;
    float best_margin = -1.0f;
    for (attribute a : all_attributes) {
        float margin = c.values[a] - at(a).reject_above;
        if (margin >= 0.0f && margin > best_margin) {
            best = &at(a);
            best_attr = a;
            best_margin = margin;
        }
    }
    if (best != nullptr)
        return {question_status::auto_rejected,
                describe(best_attr, c.values[best_attr], "reject", best->reject_above)};

    for (const word_match& w : words)
        if (w.kind == term_kind::suspect) return {question_status::held, "suspect term '" + w.term + "'"};

    for (attribute a : all_attributes) {
        float margin = c.values[a] - at(a).review_above;
        if (margin >= 0.0f && margin > best_margin) {
            best = &at(a);
            best_attr = a;
            best_margin = margin;
        }
    }
    if (best != nullptr)
        return {question_status::pending,
                describe(best_attr, c.values[best_attr], "review", best->review_above)};

    if (premoderate) return {question_status::held, "below every threshold; event pre-moderates"};
    return {question_status::approved, "below every threshold"};
}

verdict triage_policy::unscored(const std::string& why) {
    return {question_status::pending, "not scored: " + why};
}

}  // namespace tribune

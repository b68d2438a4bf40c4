#pragma once
// unsure_decision: "auto-decided, unsure" — a question the triage would send to review is
// decided on a best guess while its near-duplicate group is small, and goes to a human only
// once the group has grown to `review_at` questions (many people ask it). Issue 10: almost
// every human decision is spent on a NEW text that is posted once or twice; a moderator's time
// goes further on the texts many people ask.
//
// THE RULE (ingest, for a question joining a group with no moderator's decision, when the
// event's policy has auto_decide_unsure on):
//  - only a question in review BY A SCORE (verdict_rule::review: the policy's review band,
//    possibly reached through the event's correction) qualifies; banned terms, reject lines,
//    suspect terms (held), pre-moderation and unscored questions keep their own verdicts;
//  - only once the event's correction has learned from at least min_labels decided groups
//    (the caller checks it: labels_learned below);
//  - if the group, this question included, has fewer than review_at members, it is decided
//    now: its position in the review band of its CORRECTED scores (the event correction's
//    best guess; the raw scores when the event has none), 0 at the review line, 1 at the
//    reject line, is below approve_below -> approved, from reject_from on -> auto_rejected,
//    between the two -> review as before (the middle of the band, where a guess is worth
//    least). approve_below is deliberately low: an unsure question leans to rejection, so a
//    hostile question asked once is not shown (leak), at the cost of some genuine ones asked
//    once (loss);
//  - from the review_at-th member on, the question goes to review as before; the moderator's
//    decision on the group then covers the members decided unsure (decision_inheritance.hpp:
//    a rejection takes the unsure approvals down, an approval confirms the unsure rejections).
// The verdict says so ("auto-decided, unsure: ..."), and the audit row's action is "unsure"
// (not "auto"), so a moderator can find the question and overturn it like any other.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/domain/classification.hpp"
#include "core/triage/event_correction.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {

inline constexpr std::string_view unsure_action = "unsure";
inline constexpr std::string_view unsure_marker = "auto-decided, unsure: ";
// A band position no question reaches: reject_from = unsure_never guesses no rejection.
inline constexpr float unsure_never = 1000.0f;

// Chosen with bench/event_learning_sim on scripts/make-flood floods with seeds 2 and 3 only
// (docs/benchmarks.md, "Auto-decided, unsure"): K = 3 with 0.15 / 0.5 kept leak and loss
// within their goals on seed 2 (K = 2 saved fewer decisions; narrower zones cost leak or loss).
struct unsure_rule {
    std::uint32_t review_at = 3;   // a group reaches review from this many members; 0: off
    float approve_below = 0.15f;   // position in the corrected review band below which it approves
    float reject_from = 0.5f;      // from which it rejects; between the two: review as before
    // Labelled groups the event's correction must have learned from before any guess: at the
    // start of an event everything in the band goes to a human, as without the rule.
    std::int64_t min_labels = 100;
    // The zones from the event correction's UNSURE LINES (calibrated_unsure_rule below), checked
    // on the event's held-out decisions; false: approve_below and reject_from as given.
    bool calibrated = true;
};

// Where the scores sit in their review band: 0 at the review line, 1 at the reject line
// (from the strongest head above its review line to the strongest reject line); nullopt
// when the band is undefined (no head with both lines).
std::optional<float> band_position(const scores& s, const triage_policy& policy);

// The unsure verdict for a question whose own verdict is `own` (its corrected scores
// `corrected`), joining an undecided group that has `members_before` members; nullopt when
// the rule does not apply (it goes as `own` says).
// `labels_learned`: the labelled groups of the event's correction (0 when it has none).
std::optional<verdict> unsure_verdict(const verdict& own, const scores& corrected,
                                      const triage_policy& policy, std::uint32_t members_before,
                                      std::int64_t labels_learned, const unsure_rule& rule = {});

// The rule with its zones taken from the event correction's UNSURE LINES (learned_band,
// event_correction.hpp), i.e. checked on the event's own held-out decisions, as positions in
// the band the correction maps onto the policy (`narrow`: the calibrated band, as
// event_correction::apply). A side whose line was not calibrated guesses nothing
// (approve_below 0, reject_from unsure_never); a correction with no rescaled band
// (default_reject_at 0) gives a rule that guesses nothing. A question the correction would
// reject but may not (OWN REJECTIONS, event_correction.hpp) sits beyond position 1.
// review_at and min_labels are kept from `rule`; a rule with calibrated false is returned as is.
unsure_rule calibrated_unsure_rule(const unsure_rule& rule, const event_correction& correction, bool narrow);

}  // namespace tribune

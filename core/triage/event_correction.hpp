#pragma once
// event_correction: one event's learned correction of the shipped model, as a snapshot that
// scoring reads. It adds the same logit shift `delta` to every head of a new question's raw
// scores; the triage policy then decides on the corrected scores (apply()).
//
//   u(x)     = m(x) + shift(x)                     the corrected review margin (event_learner.hpp)
//   delta(x) = clamp((u(x) - approve_at) * width(x) / (reject_at - approve_at) - m(x),
//                    -bound, +bound)
//
// m(x) is how far the question's strongest head is above its review line, in logits, and
// width(x) how far its reject line is above its review line (the policy's band for this
// question); shift(x) is learned from the shipped model's own hashed features of the question
// (model_features) and from its raw scores seen through the policy. A uniform shift moves the
// review margin and every reject margin by exactly delta, so the policy on the corrected scores
// approves when u < approve_at, rejects when u >= reject_at and sends to review between,
// without changing which head leads. With reject_at = 0 the corrected margin is not rescaled
// (only moved down by approve_at).
// THE BAND [approve_at, reject_at) is the default band [0, reject_at), or, when the caller
// asks for the narrowed band (the event's policy `narrow_review_band`), the calibrated band
// (learned_band below): narrower where the event's decisions showed, on questions the
// correction was not fitted on, that it is right often enough there (event_learner.hpp,
// "CALIBRATED BAND").
//
// What a correction may not do (apply() enforces it, whatever the weights):
//  - approve, hold or send to review a question the shipped model and policy reject on
//    their own (a banned term, or a raw score at or above its reject_above);
//  - override a suspect term (still held, unless the correction rejects it).
// The bound is set by event_learner::fit (see event_learner.hpp for how it grows).
//
// Thread safety: immutable after construction; every method is const and safe from any
// number of threads. Share as std::shared_ptr<const event_correction>.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/classify/model_features.hpp"
#include "core/domain/classification.hpp"
#include "core/domain/question.hpp"
#include "core/text/word_list.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {

// The score-space inputs: six head logits, the review margin, a constant.
inline constexpr std::size_t correction_inputs = attribute_count + 2;
using correction_input_vector = std::array<float, correction_inputs>;

// ESCALATION: a question the correction or the policy settled on its own close to a line —
// approved with a corrected review margin of at least -approve_margin, or rejected by the
// correction (not by the shipped model) with a corrected reject margin under reject_margin —
// goes to review instead when its group already has after_members members and no moderator's
// decision. One decision then covers the group (decision_inheritance.hpp), so a popular text's
// fate rests on a human once, not on the correction's guess each time it is posted: it bounds
// what one wrong call can cost. after_members = 0 turns it off.
struct escalation_rule {
    std::uint32_t after_members = 10;
    float approve_margin = 1.0f;
    float reject_margin = 3.0f;
};

// A corrected margin no question reaches: the correction rejects nothing on its own.
inline constexpr float no_own_rejections = 1.0e6f;

// The learned review band in corrected-margin units, and the evidence it was chosen on
// (event_learner.hpp, "CALIBRATED BAND"). approve_at = 0 and reject_at = the learner's
// reject_at are the band before any narrowing.
struct learned_band {
    float approve_at = 0.0f;
    float reject_at = 0.0f;
    bool narrowed = false;          // the calibration moved a line
    std::int64_t checked = 0;       // labelled groups whose held-out prediction chose the lines
    float approve_error = 0.0f;     // estimated hostile share among what the narrowing approves
    float reject_error = 0.0f;      // estimated genuine share among what the narrowing rejects
    std::int64_t approve_checked = 0;  // held-out groups in [base approve line, approve_at)
    std::int64_t reject_checked = 0;   // held-out groups in [reject_at, base reject line)
    // UNSURE LINES (unsure_decision.hpp): the same held-out check with the looser error
    // limits of band_options::unsure_*, over the default band [0, base reject line). A
    // question in review whose group is still small may be guessed approved below
    // unsure_approve_at and rejected from unsure_reject_at. With no narrowed part the line
    // stays at its band edge (0, or the base reject line): no guess on that side.
    float unsure_approve_at = 0.0f;
    float unsure_reject_at = 0.0f;
    float unsure_approve_error = 0.0f;
    float unsure_reject_error = 0.0f;
    std::int64_t unsure_approve_checked = 0;
    std::int64_t unsure_reject_checked = 0;
    // OWN REJECTION LINE: the corrected margin from which the correction may reject, on its
    // own, a question the shipped model left in review or approved (event_learner.hpp, "OWN
    // REJECTIONS"). Chosen by the same held-out check, from the top of the held-out groups
    // down, with band_options::own_reject_error; until that check passes it is
    // no_own_rejections and the correction rejects nothing on its own (what it would reject
    // goes to review, saying why).
    float own_reject_at = no_own_rejections;
    float own_reject_error = 0.0f;
    std::int64_t own_reject_checked = 0;
};

// How many labels a correction was fitted on: distinct near-duplicate groups (a bulk decision
// on a group is one label) and questions, per class.
struct label_counts {
    std::int64_t hostile_groups = 0;
    std::int64_t genuine_groups = 0;
    std::int64_t hostile_questions = 0;
    std::int64_t genuine_questions = 0;
    std::int64_t groups() const { return hostile_groups + genuine_groups; }
    std::int64_t questions() const { return hostile_questions + genuine_questions; }
};

// What the correction did to one question.
struct corrected_triage {
    verdict raw;                 // the shipped model and policy alone
    verdict final;               // what the question gets
    classification corrected;    // scores after the shift (spans and language unchanged)
    float delta = 0.0f;          // the shift applied (0: none)
    bool moved() const { return final.status != raw.status; }
};

class event_correction {
public:
    // No correction: delta is always 0.
    event_correction() = default;
    event_correction(std::unordered_map<std::uint32_t, float> text_weights,
                     correction_input_vector input_weights, float bound, float reject_at,
                     label_counts counts, escalation_rule escalation = {0, 0.0f, 0.0f});
    // The same with a calibrated band (used when the caller asks for the narrowed band).
    event_correction(std::unordered_map<std::uint32_t, float> text_weights,
                     correction_input_vector input_weights, float bound, float reject_at,
                     learned_band band, label_counts counts,
                     escalation_rule escalation = {0, 0.0f, 0.0f});

    // The shift for a question with these features and raw scores under `policy`, within
    // [-bound(), bound()]; `narrow`: with the calibrated band (THE BAND above).
    float delta(const model_features& features, const scores& raw,
                const triage_policy& policy, bool narrow = false) const;

    // The verdict with the correction applied, under the rules above. `words` are the
    // question's word-list matches. OWN REJECTIONS: a question only the correction would
    // reject is rejected only when its corrected margin (review margin + learned shift,
    // unbounded, as the held-out check measured it) is at or above band().own_reject_at;
    // below it, it goes to review, its verdict saying so. With own_rejections false, a question
    // only the correction would reject goes to review instead (in review by a score, so
    // the unsure rule, unsure_decision.hpp, may guess it while its group is small). An
    // event with that rule on uses it: what the correction rejects is never decided by a
    // human, so held-out labels cannot check it, and on the seed-3 flood (16.6% French, 86%
    // of it hostile) it learned "French = hostile" and rejected 4.4% of the genuine
    // questions (docs/benchmarks.md).
    // `prior_shift`: the event's label-free shift (event_prior.hpp), added to the learned
    // delta, outside the bound; the caller passes it only while the event has too few labels
    // for the correction to stand on its own, and the same rules apply to the sum.
    corrected_triage apply(const model_features& features, const classification& raw,
                           const triage_policy& policy, bool premoderate,
                           const std::vector<word_match>& words, bool narrow = false,
                           bool own_rejections = true, float prior_shift = 0.0f) const;

    // Whether a new question, triaged (q.status, q.scored raw, q.correction) and joining a
    // group that has `members` members and no moderator's decision, goes to review instead
    // (ESCALATION above).
    bool escalates(const question& q, const triage_policy& policy, std::uint32_t members) const;
    const escalation_rule& escalation() const { return escalation_; }

    float bound() const { return bound_; }
    // The calibrated band (equal to the default band until it narrowed).
    const learned_band& band() const { return band_; }
    // The default band's upper line in corrected-margin units (0: the policy's lines).
    float default_reject_at() const { return reject_at_; }
    const label_counts& counts() const { return counts_; }
    bool empty() const { return bound_ <= 0.0f; }
    const correction_input_vector& input_weights() const { return input_weights_; }
    // The part of the learned shift that comes from the text features alone.
    float text_shift(const model_features& features) const;
    // The text weights with the largest magnitude, at most n, largest first.
    std::vector<std::pair<std::uint32_t, float>> top_text_weights(std::size_t n) const;

    // The score-space inputs of a question (shared with the trainer).
    static correction_input_vector inputs(const scores& raw, const triage_policy& policy);
    // How far the strongest head is above its review line, in logits (negative: below).
    static float review_margin(const scores& raw, const triage_policy& policy);
    // The same for the reject lines (heads whose reject rule is off are skipped).
    static float reject_margin(const scores& raw, const triage_policy& policy);
    // The learned model's shift of the review margin, before scaling and bounding.
    float learned_shift(const model_features& features, const scores& raw,
                        const triage_policy& policy) const;
    // The raw scores with `delta` added to every head's logit.
    static scores shifted(const scores& raw, float delta);

private:
    std::unordered_map<std::uint32_t, float> text_weights_;
    correction_input_vector input_weights_{};
    float bound_ = 0.0f;
    float reject_at_ = 0.0f;  // the default band's upper line; 0: the policy's lines
    learned_band band_;
    label_counts counts_;
    escalation_rule escalation_{0, 0.0f, 0.0f};
};

}  // namespace tribune

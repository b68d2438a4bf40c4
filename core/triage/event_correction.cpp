#include "core/triage/event_correction.hpp"
#include "core/util/sigmoid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tribune {
namespace {

// Scores are clamped away from 0 and 1 so every logit is finite (|logit| <= 9.2).
constexpr float score_floor = 1e-4f;
// Inputs are logits divided by this, so they are of the order of the text features.
constexpr float input_scale = 4.0f;

float logit(float p) {
    p = std::clamp(p, score_floor, 1.0f - score_floor);
    return std::log(p / (1.0f - p));
}

std::string describe_shift(float delta, question_status from) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " (event correction %+.2f; %.*s without it)",
                  static_cast<double>(delta), static_cast<int>(to_string(from).size()),
                  to_string(from).data());
    return buf;
}

std::string own_rejection_refused(float u, const learned_band& b) {
    char buf[160];
    if (b.own_reject_at >= no_own_rejections)
        std::snprintf(buf, sizeof buf, "; to review: the event correction would reject it (margin %.2f) but its "
                      "rejections are not checked on held-out decisions yet", static_cast<double>(u));
    else
        std::snprintf(buf, sizeof buf, "; to review: the event correction would reject it (margin %.2f) but rejects "
                      "on its own only from %.2f (held-out check)", static_cast<double>(u),
                      static_cast<double>(b.own_reject_at));
    return buf;
}

}  // namespace

event_correction::event_correction(std::unordered_map<std::uint32_t, float> text_weights,
                                   correction_input_vector input_weights, float bound,
                                   float reject_at, label_counts counts, escalation_rule escalation)
    : text_weights_(std::move(text_weights)),
      input_weights_(input_weights),
      bound_(bound),
      reject_at_(reject_at),
      band_{.approve_at = 0.0f, .reject_at = reject_at, .unsure_reject_at = reject_at},
      counts_(counts),
      escalation_(escalation) {}

event_correction::event_correction(std::unordered_map<std::uint32_t, float> text_weights,
                                   correction_input_vector input_weights, float bound,
                                   float reject_at, learned_band band, label_counts counts,
                                   escalation_rule escalation)
    : text_weights_(std::move(text_weights)),
      input_weights_(input_weights),
      bound_(bound),
      reject_at_(reject_at),
      band_(band),
      counts_(counts),
      escalation_(escalation) {}

bool event_correction::escalates(const question& q, const triage_policy& policy,
                                 std::uint32_t members) const {
    if (escalation_.after_members == 0 || members < escalation_.after_members) return false;
    const float delta = q.correction ? q.correction->delta : 0.0f;
    if (q.status == question_status::approved)
        return review_margin(q.scored.values, policy) + delta >= -escalation_.approve_margin;
    const bool rejected_by_correction = q.correction && q.correction->moved_from &&
                                        *q.correction->moved_from != question_status::auto_rejected;
    return q.status == question_status::auto_rejected && rejected_by_correction &&
           reject_margin(q.scored.values, policy) + delta < escalation_.reject_margin;
}

float event_correction::review_margin(const scores& raw, const triage_policy& policy) {
    float best = -2.0f * logit(1.0f);  // below every line when no head has a review rule
    for (attribute a : all_attributes) {
        const float line = policy.at(a).review_above;
        if (line > 1.0f) continue;
        best = std::max(best, logit(raw[a]) - logit(line));
    }
    return best;
}

correction_input_vector event_correction::inputs(const scores& raw, const triage_policy& policy) {
    correction_input_vector x{};
    for (std::size_t h = 0; h < attribute_count; ++h) x[h] = logit(raw.values[h]) / input_scale;
    x[attribute_count] = review_margin(raw, policy) / input_scale;
    x[attribute_count + 1] = 1.0f;
    return x;
}

scores event_correction::shifted(const scores& raw, float delta) {
    scores out;
    for (std::size_t h = 0; h < attribute_count; ++h)
        out.values[h] = sigmoid(logit(raw.values[h]) + delta);
    return out;
}

float event_correction::reject_margin(const scores& raw, const triage_policy& policy) {
    float best = -2.0f * logit(1.0f);  // below every line when no head has a reject rule
    for (attribute a : all_attributes) {
        const float line = policy.at(a).reject_above;
        if (line > 1.0f) continue;
        best = std::max(best, logit(raw[a]) - logit(line));
    }
    return best;
}

float event_correction::learned_shift(const model_features& features, const scores& raw,
                                      const triage_policy& policy) const {
    float sum = text_shift(features);
    const correction_input_vector x = inputs(raw, policy);
    for (std::size_t i = 0; i < correction_inputs; ++i) sum += input_weights_[i] * x[i];
    return std::isfinite(sum) ? sum : 0.0f;
}

float event_correction::text_shift(const model_features& features) const {
    float sum = 0.0f;
    for (std::size_t i = 0; i < features.ids.size(); ++i)
        if (auto it = text_weights_.find(features.ids[i]); it != text_weights_.end())
            sum += it->second * features.values[i];
    return sum;
}

float event_correction::delta(const model_features& features, const scores& raw,
                              const triage_policy& policy, bool narrow) const {
    if (empty()) return 0.0f;
    const float m = review_margin(raw, policy);
    float shift = learned_shift(features, raw, policy);
    // The learned band is [approve_at, reject_at) in corrected margin; the policy's band for
    // this question is [0, width), width = how far its reject line is above its review line.
    // Mapping one onto the other makes the policy's verdict on the shifted scores the band's.
    const float width = m - reject_margin(raw, policy);
    const float lo = narrow ? band_.approve_at : 0.0f;
    const float hi = narrow ? band_.reject_at : reject_at_;
    if (hi > lo && width > 0.0f && width < 2.0f * logit(1.0f))
        shift = (m + shift - lo) * width / (hi - lo) - m;
    else
        shift -= lo;
    return std::clamp(shift, -bound_, bound_);
}

corrected_triage event_correction::apply(const model_features& features, const classification& raw,
                                         const triage_policy& policy, bool premoderate,
                                         const std::vector<word_match>& words, bool narrow,
                                         bool own_rejections, float prior_shift) const {
    corrected_triage out;
    out.raw = policy.evaluate(raw, premoderate, words);
    out.final = out.raw;
    out.corrected = raw;
    // What the shipped model and policy reject on their own stays rejected, untouched.
    if (out.raw.status == question_status::auto_rejected) return out;
    out.delta = delta(features, raw.values, policy, narrow) + prior_shift;
    if (out.delta == 0.0f) return out;
    out.corrected.values = shifted(raw.values, out.delta);
    out.final = policy.evaluate(out.corrected, premoderate, words);
    // OWN REJECTIONS: what only the correction rejects goes to review, unless it is on or
    // above the line the held-out check drew (and the caller allows own rejections at all).
    if (out.final.status == question_status::auto_rejected && own_rejections) {
        const float u = review_margin(raw.values, policy) + learned_shift(features, raw.values, policy);
        if (u < band_.own_reject_at) {
            out.final = verdict{question_status::pending, out.raw.status == question_status::pending ? out.raw.reason : out.final.reason,
                                verdict_rule::review};
            out.final.reason += own_rejection_refused(u, band_);
        }
    } else if (!own_rejections && out.final.status == question_status::auto_rejected) {
        out.final = verdict{question_status::pending,
                            out.final.reason + "; to review: the event correction does not reject on its own",
                            verdict_rule::review};
        if (out.raw.status == question_status::pending) out.final.reason = out.raw.reason;
    }
    if (out.moved()) out.final.reason += describe_shift(out.delta, out.raw.status);
    return out;
}

std::vector<std::pair<std::uint32_t, float>> event_correction::top_text_weights(std::size_t n) const {
    std::vector<std::pair<std::uint32_t, float>> all(text_weights_.begin(), text_weights_.end());
    const std::size_t k = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                      [](const auto& a, const auto& b) {
                          return std::fabs(a.second) > std::fabs(b.second) ||
                                 (std::fabs(a.second) == std::fabs(b.second) && a.first < b.first);
                      });
    all.resize(k);
    return all;
}

}  // namespace tribune

#include "core/triage/unsure_decision.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/triage/event_correction.hpp"

namespace tribune {

std::optional<float> band_position(const scores& s, const triage_policy& policy) {
    const float m = event_correction::review_margin(s, policy);
    const float width = m - event_correction::reject_margin(s, policy);
    // No head with a reject line: the margins are the sentinels (|x| >= 18).
    if (!(width > 0.0f) || width >= 18.0f || !std::isfinite(m)) return std::nullopt;
    return m / width;
}

std::optional<verdict> unsure_verdict(const verdict& own, const scores& corrected,
                                      const triage_policy& policy, std::uint32_t members_before,
                                      std::int64_t labels_learned, const unsure_rule& rule) {
    if (rule.review_at == 0 || labels_learned < rule.min_labels) return std::nullopt;
    if (own.rule != verdict_rule::review || own.status != question_status::pending) return std::nullopt;
    if (members_before + 1 >= rule.review_at) return std::nullopt;
    const std::optional<float> at = band_position(corrected, policy);
    if (!at) return std::nullopt;
    const bool approve = *at < rule.approve_below;
    if (!approve && *at < rule.reject_from) return std::nullopt;
    char buf[160];
    std::snprintf(buf, sizeof buf, " (%.2f of the review band; approved below %.2f, rejected from %.2f); "
                  "to review when its group has %u questions",
                  static_cast<double>(*at), static_cast<double>(rule.approve_below),
                  static_cast<double>(rule.reject_from), rule.review_at);
    return verdict{approve ? question_status::approved : question_status::auto_rejected,
                   std::string(unsure_marker) + own.reason + buf, own.rule};
}

unsure_rule calibrated_unsure_rule(const unsure_rule& rule, const event_correction& correction, bool narrow) {
    unsure_rule r = rule;
    if (!rule.calibrated) return r;
    r.approve_below = 0.0f;  // nothing in review sits below 0
    r.reject_from = unsure_never;
    const learned_band& b = correction.band();
    const float lo = narrow ? b.approve_at : 0.0f;
    const float hi = narrow ? b.reject_at : correction.default_reject_at();
    if (!(correction.default_reject_at() > 0.0f) || !(hi > lo)) return r;
    if (b.unsure_approve_checked > 0) r.approve_below = std::max(0.0f, (b.unsure_approve_at - lo) / (hi - lo));
    if (b.unsure_reject_checked > 0) r.reject_from = std::min(unsure_never, (b.unsure_reject_at - lo) / (hi - lo));
    return r;
}

}  // namespace tribune

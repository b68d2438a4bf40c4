#include "server/wire/learning_codec.hpp"

#include <cmath>

#include "server/wire/decimals.hpp"

namespace tribune::server {
namespace {

// The review band in force (event_learner.hpp, "CALIBRATED BAND"): its lines as P(hostile)
// of the learned model, and the held-out evidence that chose them.
json band_json(const learning_report& r) {
    const learning_options& o = r.options;
    auto probability = [&](float u) { return to_decimals(1.0f / (1.0f + std::exp(-(o.kappa * u + o.offset))), 3); };
    const learned_band& b = r.band;
    return {{"narrowing", r.narrowing},
            {"narrowed", b.narrowed},
            {"own_rejections", !r.unsure},
            {"approve_below_probability", probability(b.approve_at)},
            {"reject_from_probability", probability(b.reject_at)},
            {"approve_at", to_decimals(b.approve_at, 3)},
            {"reject_at", to_decimals(b.reject_at, 3)},
            {"checked_groups", b.checked},
            {"approve", {{"checked_groups", b.approve_checked}, {"estimated_error", to_decimals(b.approve_error, 3)},
                         {"max_error", to_decimals(o.band.approve_error, 3)}}},
            {"reject", {{"checked_groups", b.reject_checked}, {"estimated_error", to_decimals(b.reject_error, 3)},
                        {"max_error", to_decimals(o.band.reject_error, 3)}}},
            {"own_reject", {{"from", b.own_reject_at >= no_own_rejections ? json(nullptr) : json(to_decimals(b.own_reject_at, 3))},
                            {"checked_groups", b.own_reject_checked},
                            {"estimated_error", to_decimals(b.own_reject_error, 3)},
                            {"max_error", to_decimals(o.band.own_reject_error, 3)}}},
            {"min_checked_groups", o.band.min_checked},
            {"min_labelled_groups", o.band.min_labels}};
}

// "Auto-decided, unsure" (core/triage/unsure_decision.hpp): whether the event's policy has it
// on, whether it decides now (the correction has learned from enough groups), and its rule.
json unsure_json(const learning_report& r) {
    const unsure_rule& u = r.unsure_rule_in_force;
    return {{"enabled", r.unsure && r.enabled && u.review_at > 0},
            {"active", r.unsure && r.enabled && u.review_at > 0 && r.counts.groups() >= u.min_labels},
            {"review_from_members", u.review_at},
            {"approve_below_band_position", to_decimals(u.approve_below, 3)},
            {"reject_from_band_position", to_decimals(u.reject_from, 3)},
            {"min_labelled_groups", u.min_labels},
            {"approve_below", to_decimals(r.band.unsure_approve_at, 3)},
            {"reject_from", to_decimals(r.band.unsure_reject_at, 3)},
            {"approve", {{"checked_groups", r.band.unsure_approve_checked},
                         {"estimated_error", to_decimals(r.band.unsure_approve_error, 3)},
                         {"max_error", to_decimals(r.options.band.unsure_approve_error, 3)}}},
            {"reject", {{"checked_groups", r.band.unsure_reject_checked},
                        {"estimated_error", to_decimals(r.band.unsure_reject_error, 3)},
                        {"max_error", to_decimals(r.options.band.unsure_reject_error, 3)}}}};
}

}  // namespace

json correction_json(const std::optional<correction_note>& c) {
    if (!c) return nullptr;
    return {{"delta", to_decimals(c->delta, 2)},
            {"moved_from", c->moved_from ? json(to_string(*c->moved_from)) : json(nullptr)}};
}

json to_json(const learning_report& r) {
    json words = json::array();
    for (const auto& [word, shift] : r.top_words)
        words.push_back({{"word", word}, {"shift", to_decimals(shift, 3)}});
    const learning_options& o = r.options;
    json reset = nullptr;
    if (r.reset)
        reset = {{"at", format_time(r.reset->at)}, {"by", r.reset->by},
                 {"after_decision", r.reset->after_decision}};
    return {{"enabled", r.enabled},
            {"learned_from",
             {{"decisions", r.counts.questions()},
              {"groups", r.counts.groups()},
              {"hostile", {{"groups", r.counts.hostile_groups}, {"questions", r.counts.hostile_questions}}},
              {"genuine", {{"groups", r.counts.genuine_groups}, {"questions", r.counts.genuine_questions}}}}},
            {"bound",
             {{"now", to_decimals(r.bound, 3)},
              {"max", to_decimals(o.bound_max, 3)},
              {"half_at_groups_per_class", to_decimals(o.bound_half, 3)},
              {"rule", "|delta| <= max * m / (m + half_at_groups_per_class), "
                       "m = min(hostile groups, genuine groups)"}}},
            {"model",
             {{"approve_below_probability", to_decimals(1.0f / (1.0f + std::exp(-o.offset)), 3)},
              {"reject_from_probability",
               to_decimals(1.0f / (1.0f + std::exp(-(o.kappa * o.reject_at + o.offset))), 3)}}},
            {"band", band_json(r)},
            {"unsure", unsure_json(r)},
            {"prior",
             {{"in_force", r.prior_in_force},
              {"shift", to_decimals(r.prior_in_force ? r.prior_shift : 0.0f, 3)},
              {"estimated_hostile_share", to_decimals(r.prior_share, 3)},
              {"reference_share", to_decimals(r.prior_options.reference_prior, 3)},
              {"questions_read", r.prior_observed},
              {"window", r.prior_options.window},
              {"min_questions", r.prior_options.min_questions},
              {"max_shift", to_decimals(r.prior_options.max_shift, 3)},
              {"until_labelled_groups", r.prior_options.until_labels}}},
            {"top_words", std::move(words)},
            {"last_decision", r.last_decision},
            {"reset", std::move(reset)}};
}

}  // namespace tribune::server

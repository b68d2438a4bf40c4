#include "core/triage/decision_inheritance.hpp"

#include "core/triage/unsure_decision.hpp"

namespace tribune {
namespace {

constexpr std::string_view own_marker = "; own verdict: ";

std::string decided_by(const group_decision& g) {
    return "group " + std::to_string(g.cluster_id) +
           (g.outcome == question_status::rejected ? " rejected by " : " approved by ") + g.actor;
}

}  // namespace

joined_verdict verdict_on_joining(const verdict& own, const group_decision& g) {
    if (g.outcome == question_status::rejected)
        return {{question_status::auto_rejected, inherited_verdict(g, own.reason), own.rule}, true};
    switch (own.rule) {
        case verdict_rule::below:
        case verdict_rule::review:
        case verdict_rule::premoderate:
            return {{question_status::approved, inherited_verdict(g, own.reason), own.rule}, true};
        case verdict_rule::banned:
        case verdict_rule::reject:
            return {{question_status::pending, decided_by(g) + ", but " + own.reason, own.rule}, false};
        case verdict_rule::suspect:
        case verdict_rule::unscored:
            break;
    }
    return {{own.status, own.reason + " (" + decided_by(g) + ")", own.rule}, false};
}

group_effect group_effect_of(std::string_view action, question_status to, const std::string& actor,
                             std::int64_t question_id, std::int64_t cluster_id,
                             const std::optional<group_decision>& current, timestamp_ms now,
                             bool inheritance_on) {
    group_effect e;
    // The members holding the current decision: rejected ones are auto_rejected.
    const auto inherited_state = [&]() -> std::optional<question_status> {
        if (!current) return std::nullopt;
        return current->outcome == question_status::rejected ? question_status::auto_rejected
                                                             : question_status::approved;
    };
    if ((action == "approve" && to == question_status::approved) ||
        (action == "reject" && to == question_status::rejected)) {
        e.changes = true;
        e.next = group_decision{cluster_id, to, actor, question_id, now};
        if (current && current->outcome != to) e.release = inherited_state();
        e.retract = inheritance_on && to == question_status::rejected &&
                    (!current || current->outcome != question_status::rejected);
        e.confirm = inheritance_on && to == question_status::approved &&
                    (!current || current->outcome != question_status::approved);
        return e;
    }
    if (action == "answer" || !current || current->question_id != question_id) return e;
    e.changes = true;  // the deciding question changed otherwise: the decision is withdrawn
    e.release = inherited_state();
    return e;
}

std::string_view insert_action(bool inherited, bool unsure) {
    if (inherited) return inherit_action;
    return unsure ? unsure_action : std::string_view("auto");
}

std::string inherited_verdict(const group_decision& g, std::string_view own) {
    return "inherited: " + decided_by(g) + std::string(own_marker) + std::string(own_verdict(own));
}

std::string released_verdict(std::int64_t cluster_id, std::string_view actor, std::string_view own) {
    return "released: " + std::string(actor) + " withdrew group " + std::to_string(cluster_id) +
           "'s decision" + std::string(own_marker) + std::string(own_verdict(own));
}

std::string_view own_verdict(std::string_view verdict) {
    const auto at = verdict.find(own_marker);
    if (at == std::string_view::npos) return verdict;
    return verdict.substr(at + own_marker.size());
}

}  // namespace tribune

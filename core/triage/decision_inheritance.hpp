#pragma once
// decision_inheritance: how a moderator's decision covers a near-duplicate group, now and later
// (issue 10). The rules are written once, here; ingest reads them for a new member (on the
// scoring worker) and every store backend for the other members (in the decision's own
// transaction).
//
// A GROUP'S DECISION is the latest approve or reject a moderator made on one of its members —
// one question, a bulk list, or a bulk decision by group; that member is the deciding
// question. Any other change a moderator makes to the deciding question (hold, restore, undo;
// not answer) withdraws it; the next approve or reject in the group sets it again.
//
// A NEW MEMBER, when its event's policy has inherit_group_decisions on (the default):
//  - group rejected -> auto_rejected, verdict "inherited: group 12 rejected by alice; own
//    verdict: <its own>", audit row by "triage" with action "inherit";
//  - group approved -> approved, "inherited: group 12 approved by alice; own verdict: ...",
//    action "inherit", when its own verdict is approved, pending (a review threshold) or held
//    because the event pre-moderates: a human approved this text. A banned term or a score at
//    a reject threshold sends it to review instead (pending, "group 12 approved by alice, but
//    banned term 'x'"); a suspect term keeps it held; an unscored question goes to review —
//    those are its own verdicts (action "auto"), not inherited;
//  - no decision: its own verdict.
// WHAT A DECISION DOES TO THE OTHER MEMBERS (the store, in the decision's transaction):
//  - the group's decision withdrawn, or replaced by the other outcome: the members whose state
//    came from inheriting it (their latest audit row is "inherit") go back to review
//    (pending), audit action "release" by "triage", verdict "released: ...", and are
//    broadcast with the decision;
//  - the group newly rejected (it was not rejected just before), with inheritance on: members
//    the triage approved and nobody touched since (approved at version 1, not shortlisted)
//    are taken down — auto_rejected, action "inherit": published copies of a text a human has
//    just rejected;
//  - the group newly approved (it was not approved just before), with inheritance on: members
//    rejected "auto-decided, unsure" (their latest audit row is "unsure",
//    core/triage/unsure_decision.hpp) are approved — action "inherit", verdict "inherited:
//    ..." — so the decision covers the members decided on a guess before the group reached
//    review (a rejection takes the unsure approvals down by the rule above);
//  - members waiting in review are NOT decided by a decision on one question: the moderator
//    sees them in the queue, and a bulk decision by group decides them.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/group_decision.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {

inline constexpr std::string_view inherit_action = "inherit";
inline constexpr std::string_view release_action = "release";
// The audit action of a new question: "inherit", "unsure" (unsure_decision.hpp) or "auto".
std::string_view insert_action(bool inherited, bool unsure);

struct joined_verdict {
    verdict v;
    bool inherited = false;  // the state comes from the group (audit action "inherit")
};

// The verdict of a question that joins the group decided `g`, from its own verdict `own`.
joined_verdict verdict_on_joining(const verdict& own, const group_decision& g);

struct group_effect {
    bool changes = false;                    // the group's decision is set, replaced or withdrawn
    std::optional<group_decision> next;      // the group's decision afterwards
    std::optional<question_status> release;  // inherited members in this state go to pending
    bool retract = false;                    // take down the members the triage approved
    bool confirm = false;                    // approve the members rejected "unsure"
};

// What a moderator's `action` (to state `to`) on question `question_id` of group `cluster_id`
// does to the group's decision `current`.
group_effect group_effect_of(std::string_view action, question_status to, const std::string& actor,
                             std::int64_t question_id, std::int64_t cluster_id,
                             const std::optional<group_decision>& current, timestamp_ms now,
                             bool inheritance_on);

// "inherited: group 12 rejected by alice; own verdict: <own>".
std::string inherited_verdict(const group_decision& g, std::string_view own);
// "released: bob withdrew group 12's decision; own verdict: <own>".
std::string released_verdict(std::int64_t cluster_id, std::string_view actor, std::string_view own);
// The member's own verdict inside an inherited or released verdict; `verdict` otherwise.
std::string_view own_verdict(std::string_view verdict);

}  // namespace tribune

#pragma once
// store_rules: the rules every store backend applies the same way, written once so that the
// SQLite store, the in-memory fake and a PostgreSQL backend behave alike: decisions and undo,
// the group a new question's group_choice names, which questions take votes.
//
// Thread safety: pure functions.

#include <cstdint>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/decision_store.hpp"
#include "core/store/question_store.hpp"
#include "core/store/webhook_store.hpp"

namespace tribune {

// Whether `d` applies to a question now in state `from` at `version`: true to apply it,
// false when the question already has the target state (nothing changes).
// Errors: conflict (version_conflict) for a stale expected_version, (invalid_transition)
// when `from` is not among d.allowed_from.
result<bool> check_transition(const decision_request& d, question_status from,
                              std::int64_t version);

// Errors: not_found (question_not_found), naming the event scope when the request has one.
status decision_target_missing(const decision_request& d);

// Whether the audit row `last`, the question's latest, may be undone by `u` at `now`.
// Errors: conflict (undo_unavailable) saying why not.
status check_undo(const decision_record& last, const undo_request& u, timestamp_ms now);

// The decision that reverts `last`. REQUIRES: check_undo(last, u, now) is ok.
decision_request undo_of(const decision_record& last, const undo_request& u);

// Errors: not_found (question_not_found) for the question `id`.
status question_missing(std::int64_t id);
// Errors: not_found (webhook_not_found) for the webhook `id`.
status webhook_missing(std::int64_t id);
// Errors: not_found (source_not_found) for the social bridge source `id`.
status source_missing(std::int64_t id);

// The created_at a new question `q` is stored with at `now`: its own time when one was given
// (a bridged post's, q.created_at > 0) and not later than now, else now.
timestamp_ms asked_at(const question& q, timestamp_ms now);

// The id of the group `choice` names for the next item of a batch, given the outcomes of the
// batch's earlier items; 0 when the question starts its own group (its id, once known).
// Errors: internal (invalid_group) for a batch_item that is not an earlier item.
result<std::int64_t> group_of(const group_choice& choice, const std::vector<insert_outcome>& done);

// Whether `order` names every id of `listed` (an event's listed shortlist) exactly once.
// Errors: conflict (shortlist_changed) saying what differs.
status check_reorder(const std::vector<std::int64_t>& listed,
                     const std::vector<std::int64_t>& order);

// Where the page after one ending with `last` starts, in `sort`; `severity_key` is `last`'s
// stored severity (the severity order's exact key).
page_cursor next_page_cursor(const question& last, question_sort sort, std::int64_t severity_key);

// The hook `w` after `u`: members present replace its own; enabling a disabled hook resets its
// failures and backoff; disabling an enabled one names the admin as the reason.
webhook updated_webhook(webhook w, const webhook_update& u);

// A hook's subscribed types as stored: {a, b} -> ",a,b," (read back with split_nonempty).
std::string pack_webhook_events(const std::vector<std::string>& events);

// Approved and answered questions take votes and go on the shortlist.
constexpr bool is_public(question_status s) {
    return s == question_status::approved || s == question_status::answered;
}

// Pending and held questions wait for a moderator: a group's "in review" count.
constexpr bool in_review(question_status s) {
    return s == question_status::pending || s == question_status::held;
}

// An impact listing of review states only (pending, held: the Review tab): the stores serve it
// by walking their index of each event's groups with members in review, in impact order
// (migrations 0019, PostgreSQL 0009), instead of sorting the event's questions. Only such
// groups are in that index, hence the states.
inline bool impact_over_review_states(question_sort sort, const std::vector<question_status>& statuses) {
    if (sort != question_sort::impact || statuses.empty()) return false;
    for (question_status s : statuses)
        if (!in_review(s)) return false;
    return true;
}

}  // namespace tribune

#pragma once
// decision_store: moderators' decisions — a status change with its audit row in one
// transaction, in bulk, undone — and the append-only audit trail.
//
// One of the narrow store interfaces (see store.hpp).
// Thread safety: every method may be called from any thread concurrently.
// Errors: as documented per method; unavailable when the storage cannot be read or written.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/group_decision.hpp"
#include "core/domain/question.hpp"
#include "core/domain/status.hpp"

namespace tribune {

struct decision_request {
    std::int64_t question_id = 0;
    question_status to = question_status::pending;
    std::string action;  // approve | reject | hold | restore | answer | undo
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expected_version;  // stale -> conflict
    // The states this decision may start from; empty: any. Otherwise conflict
    // (code "invalid_transition").
    std::vector<question_status> allowed_from;
    // When set, a question of another event counts as not found.
    std::optional<std::int64_t> event_id;
};

struct decision_outcome {
    question updated;
    question_status from = question_status::pending;
    bool changed = true;  // false when the question already had the target status
    // The group's decision when this one set, replaced or withdrew it (decision_inheritance.hpp).
    std::optional<group_decision_change> group;
    // Other members of the group it moved in the same transaction (released to review, or
    // taken down), as they are afterwards, with the state each came from.
    std::vector<std::pair<question, question_status>> members;
};

struct undo_request {
    std::int64_t question_id = 0;
    std::string actor;
    timestamp_ms window_ms = 60'000;  // how long after a decision it can be undone
};

class decision_store {
public:
    virtual ~decision_store() = default;

    // Changes the status (version + 1) and appends to the audit trail in one transaction;
    // changes nothing when the question already has the target status. In the same
    // transaction: the group's decision and the members it moves (decision_inheritance.hpp;
    // the event's inherit_group_decisions switch applies).
    // Errors: not_found; conflict (code "version_conflict") when expected_version is stale,
    // (code "invalid_transition") when the status is not in allowed_from.
    virtual result<decision_outcome> apply_decision(const decision_request& d) = 0;
    // Bulk: every request in ONE transaction. Each item is its own outcome or error
    // (not_found, version_conflict, invalid_transition); a storage error fails the whole call.
    virtual result<std::vector<result<decision_outcome>>> apply_decisions(
        const std::vector<decision_request>& ds) = 0;
    // Reverts the actor's own last decision on a question when it is still the latest
    // change and younger than the window; appends an "undo" audit row.
    // Errors: not_found; conflict (code "undo_unavailable") saying why not.
    virtual result<decision_outcome> undo_last(const undo_request& u) = 0;
    // Oldest first. Errors: not_found.
    virtual result<std::vector<decision_record>> list_decisions(std::int64_t question_id) = 0;
    // The audit trails of several questions at once (an export's page): ordered by question
    // id, then oldest first; ids without a question contribute nothing.
    // REQUIRES: at most max_trail_batch ids.
    static constexpr std::size_t max_trail_batch = 1000;
    virtual result<std::vector<decision_record>> list_decisions_of(
        const std::vector<std::int64_t>& question_ids) = 0;
};

}  // namespace tribune

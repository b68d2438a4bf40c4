#pragma once
// moderation_service: moderators' decisions on questions, one at a time or in bulk (a list, or
// a near-duplicate group), and undoing one's own last decision:
//
//   decide: validate -> between two ingest batches (group_commit::between_batches):
//           decision_store (status + audit row + the group's decision and the members it
//           moves, one transaction) -> the index learns the group's decision -> event_sink
//           (the question and the moved members, one broadcast).
//
// Ownership: borrows the stores, the sink and the group commit; they must outlive it.
// Thread safety: every method is safe from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/service/event_sink.hpp"
#include "core/service/group_commit.hpp"
#include "core/service/service_options.hpp"
#include "core/store/decision_store.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"

namespace tribune {

struct decision_input {
    std::int64_t question_id = 0;
    std::string action;  // approve | reject | hold | restore | answer
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expected_version;
};

struct bulk_decision_input {
    std::string event_slug;
    std::vector<std::int64_t> ids;
    std::string action;
    std::string actor;
    std::string reason;
    std::map<std::int64_t, std::int64_t> expected_versions;  // id -> version the moderator saw
    // Instead of ids: every question of this near-duplicate group that is in one of `from`
    // (default pending and held) now, oldest first, at most max_bulk of them. Each is decided
    // only if still in one of `from` when the transaction runs (else invalid_transition).
    std::optional<std::int64_t> cluster;
    std::vector<question_status> from;
};

struct bulk_item {
    std::int64_t id = 0;
    result<question> outcome;  // the updated question, or why this one was not changed
};

struct bulk_outcome {
    std::vector<bulk_item> items;  // in the order of the ids (of the group: oldest first)
    bool more = false;             // a group had more than max_bulk questions to decide
};

class moderation_service {
public:
    // `groups`: the ingest pipeline's group commit, so a decision runs between two batches and
    // the near-duplicate index learns the group decisions; null when nothing ingests (a test).
    moderation_service(event_store& events, question_store& questions, decision_store& decisions,
                       event_sink& sink, const service_options& options,
                       group_commit* groups = nullptr)
        : events_(events), questions_(questions), decisions_(decisions), sink_(sink),
          options_(options), groups_(groups) {}

    // Errors: invalid_argument (unknown_action, invalid_utf8, invalid_field), not_found,
    // conflict (version_conflict, invalid_transition), unavailable.
    result<question> decide(const decision_input& d);
    // One transaction, one broadcast. Items that are stale or missing are reported per item.
    // Errors: invalid_argument (unknown_action, invalid_utf8, invalid_field, too_many),
    // not_found (event), unavailable.
    result<bulk_outcome> decide_bulk(const bulk_decision_input& d);
    // Reverts the actor's own last decision within the undo window.
    // Errors: not_found; conflict (undo_unavailable).
    result<question> undo(std::int64_t question_id, const std::string& actor);

private:
    // The action's target state and allowed start states, and the moderator's name and
    // reason, checked once for single and bulk decisions.
    result<decision_request> request_for(const std::string& action, const std::string& actor,
                                         const std::string& reason) const;
    // The members of a group to decide in bulk, with the versions read now.
    status add_group_members(const bulk_decision_input& d, std::vector<std::int64_t>& ids,
                             std::map<std::int64_t, std::int64_t>& versions, bool& more);
    // Applies the requests in one transaction and announces the changes in one broadcast.
    result<bulk_outcome> apply_bulk(const std::vector<decision_request>& reqs, bool more);
    // Runs `decide` between two ingest batches; it reports the group decisions it changed.
    void between_batches(const std::function<void(std::vector<group_decision_change>&)>& decide);
    // Broadcasts a decision's changes: the decided question (by `actor`) and the members it
    // moved (automatic changes). Appends to `changes`.
    static void add_changes(const decision_outcome& o, const std::string& actor,
                            std::vector<question_change>& changes);

    event_store& events_;
    question_store& questions_;
    decision_store& decisions_;
    event_sink& sink_;
    const service_options& options_;
    group_commit* const groups_;
};

}  // namespace tribune

#pragma once
// sqlite_group_decisions: what a moderator's decision does to its near-duplicate group, inside
// the decision's transaction (the rules: core/triage/decision_inheritance.hpp) — the group's
// decision, the members it releases to review or takes down, and the group's count of members
// in review. Shared by sqlite_decisions.cpp; not part of any interface.
//
// Thread safety: each function uses only the connection it is given, which the caller holds.
// REQUIRES (every function that writes): a transaction open on `db`.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/domain/group_decision.hpp"
#include "core/sqlite/sqlite_connection.hpp"
#include "core/store/decision_store.hpp"

namespace tribune::sqlite_rows {

// The group of a decided question, and whether its event inherits group decisions.
struct group_ref {
    std::int64_t event_id = 0;
    std::int64_t cluster = 0;
    bool inheritance_on = true;
};

// A member a decision moved besides the decided question, and the state it came from.
struct moved_member {
    std::int64_t id = 0;
    question_status from = question_status::pending;
    question_status to = question_status::pending;
    std::int64_t decision_id = 0;  // its audit row
    std::string_view action;       // that row's action: inherit_action or release_action
};

// Keeps the group's count of members in review: a question went from `from` to `to`.
status count_review(sqlite_connection& db, std::int64_t cluster, question_status from,
                    question_status to);

// After `d` changed its question: sets, replaces or withdraws the group's decision
// (out.group) and moves the members the rules say (appended to `moved`).
status follow_group(sqlite_connection& db, const decision_request& d, const group_ref& g,
                    decision_outcome& out, std::vector<moved_member>& moved);

// The decision of every decided group, for sqlite_store::scan_group_decisions.
status scan_decided(sqlite_connection& db, const std::function<void(const group_decision&)>& f);
// The decision of group `cluster`; empty when it has none.
result<std::optional<group_decision>> decided_one(sqlite_connection& db, std::int64_t cluster);

}  // namespace tribune::sqlite_rows

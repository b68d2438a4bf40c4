#pragma once
// pg_group_decisions: what a moderator's decision does to its near-duplicate group, inside the
// decision's transaction (the rules: core/triage/decision_inheritance.hpp), on PostgreSQL —
// the same steps as sqlite_group_decisions. The group's row is locked (FOR UPDATE) before
// its decision is read, so two instances deciding in one group take turns.
//
// Thread safety: each function uses only the connection it is given, which the caller holds.
// REQUIRES (every function that writes): a transaction open on `db`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/domain/group_decision.hpp"
#include "core/postgres/pg_connection.hpp"
#include "core/store/decision_store.hpp"

namespace tribune::pg_rows {

struct group_ref {
    std::int64_t event_id = 0;
    std::int64_t cluster = 0;
    bool inheritance_on = true;
};

struct moved_member {
    std::int64_t id = 0;
    question_status from = question_status::pending;
    question_status to = question_status::pending;
    std::int64_t decision_id = 0;
    std::string_view action;
};

status count_review(pg_connection& db, std::int64_t cluster, question_status from,
                    question_status to);
status follow_group(pg_connection& db, const decision_request& d, const group_ref& g,
                    decision_outcome& out, std::vector<moved_member>& moved);
status scan_decided(pg_connection& db, const std::function<void(const group_decision&)>& f);
// The decision of group `cluster`; empty when it has none.
result<std::optional<group_decision>> decided_one(pg_connection& db, std::int64_t cluster);

}  // namespace tribune::pg_rows

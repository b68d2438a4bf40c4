#pragma once
// group_decision: a moderator's decision that covers a whole near-duplicate group — the latest
// approve or reject a human made on one of its members (issue 10). A question that later joins
// the group takes it (decision_inheritance.hpp). The store keeps it with the group (migration
// 0008) and the near-duplicate index keeps it in memory for the scoring workers.
//
// Thread safety: plain values.

#include <cstdint>
#include <optional>
#include <string>

#include "core/domain/question.hpp"

namespace tribune {

struct group_decision {
    std::int64_t cluster_id = 0;
    question_status outcome = question_status::approved;  // approved or rejected
    std::string actor;             // the moderator
    std::int64_t question_id = 0;  // the member the moderator decided (the deciding question)
    timestamp_ms at = 0;

    bool operator==(const group_decision&) const = default;
};

// A group whose decision a moderator's action set, replaced or withdrew, and its decision now.
struct group_decision_change {
    std::int64_t cluster_id = 0;
    std::optional<group_decision> now;  // empty: the group has no decision any more
};

}  // namespace tribune

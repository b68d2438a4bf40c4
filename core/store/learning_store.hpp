#pragma once
// learning_store: what the per-event correction learns from (issue 10, part 3) — the
// moderators' decisions as labels, in the order they were made — and the admin's reset of it.
//
// The labels are not stored apart: they are the audit trail. Each instance rebuilds the same
// learner from it (event_learning_service), and a reset is a watermark: decisions up to it
// are no labels any more.
//
// One of the narrow store interfaces (see store.hpp).
// Thread safety: every method may be called from any thread concurrently.
// Errors: unavailable when the storage cannot be read or written; not_found as documented.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"

namespace tribune {

// The audit actions a moderator takes: the rows the learner reads. The triage's own rows
// (auto, and those of decisions inherited from a group) are never labels.
inline constexpr std::array<std::string_view, 6> label_actions = {"approve", "reject", "answer",
                                                                  "hold",    "restore", "undo"};
inline bool is_label_action(std::string_view action) {
    return std::find(label_actions.begin(), label_actions.end(), action) != label_actions.end();
}

// One moderator's decision on a question of the event, as the learner reads it.
struct label_decision {
    std::int64_t decision_id = 0;
    std::int64_t question_id = 0;
    std::int64_t cluster_id = 0;  // the question's near-duplicate group
    std::string action;           // approve | reject | answer | hold | restore | undo
    std::string text;             // the question's text as sent
};

// The latest reset of an event's learning: decisions with id <= after_decision are ignored.
struct learning_reset {
    std::int64_t after_decision = 0;
    timestamp_ms at = 0;  // 0: never reset
    std::string by;
};

class learning_store {
public:
    virtual ~learning_store() = default;

    // The moderators' decisions (the audit rows of actions approve, reject, answer, hold,
    // restore and undo; never the triage's own rows) on the event's questions whose id is
    // above `after_decision`, oldest first, at most `limit`.
    virtual result<std::vector<label_decision>> label_decisions(std::int64_t event_id,
                                                                std::int64_t after_decision,
                                                                std::size_t limit) = 0;
    // The id of the latest audit row of any event (0 when there is none).
    virtual result<std::int64_t> last_decision_id() = 0;
    // What a process polls to notice labels or resets written by another process on the same
    // database: changes whenever a decision is recorded or an event's reset moves its
    // watermark. Default: {last_decision_id(), 0} (resets are not seen).
    virtual result<std::pair<std::int64_t, std::int64_t>> learning_mark() {
        auto last = last_decision_id();
        if (!last) return last.error();
        return std::pair<std::int64_t, std::int64_t>{*last, 0};
    }
    // The event's latest reset ({} when never). Errors: not_found (event_not_found).
    virtual result<learning_reset> get_learning_reset(std::int64_t event_id) = 0;
    // Errors: not_found (event_not_found).
    virtual status save_learning_reset(std::int64_t event_id, const learning_reset& r) = 0;
};

}  // namespace tribune

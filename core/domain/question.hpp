#pragma once
// The domain's value types: an event (one Q&A session), a question, a decision record.
//
// Thread safety: plain values.

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/classification.hpp"
#include "core/domain/enum_names.hpp"

namespace tribune {

enum class question_status { pending, approved, rejected, auto_rejected, held, answered };

inline constexpr question_status all_statuses[] = {
    question_status::pending,       question_status::approved, question_status::rejected,
    question_status::auto_rejected, question_status::held,     question_status::answered,
};

inline constexpr enum_name_table<question_status, std::size(all_statuses)> status_names = {{
    {question_status::pending, "pending"},
    {question_status::approved, "approved"},
    {question_status::rejected, "rejected"},
    {question_status::auto_rejected, "auto_rejected"},
    {question_status::held, "held"},
    {question_status::answered, "answered"},
}};

constexpr std::string_view to_string(question_status s) { return name_in(status_names, s, "pending"); }

inline std::optional<question_status> status_from_string(std::string_view s) {
    return value_in(status_names, s);
}

// Milliseconds since the Unix epoch, UTC.
using timestamp_ms = std::int64_t;

struct event_info {
    std::int64_t id = 0;
    std::string slug;
    std::string title;
    bool premoderate = false;  // hold every question that passes the thresholds for a human
    timestamp_ms created_at = 0;
};

// What the event's correction learned from its moderators' decisions did when the question was
// triaged (core/triage/event_correction.hpp): the logit shift it added to every head of the
// shipped model's scores (question::scored keeps those raw scores), and the status the question
// would have had without it, when the shift changed the status.
struct correction_note {
    float delta = 0.0f;
    std::optional<question_status> moved_from;
    bool operator==(const correction_note&) const = default;
};

struct question {
    std::int64_t id = 0;  // 0 until stored
    std::string event;    // the event's slug
    std::int64_t event_id = 0;
    std::string text;
    std::optional<std::string> author;
    std::optional<std::string> source;
    std::optional<std::string> external_id;
    // The original post on the web, for a question a social bridge brought (issue 16): a
    // Mastodon status's url, a bsky.app link; empty for any other question.
    std::optional<std::string> origin_url;
    // When the question was asked: the time it was received, or for a bridged post the post's
    // own time (never later than its arrival).
    timestamp_ms created_at = 0;
    timestamp_ms updated_at = 0;
    question_status status = question_status::pending;
    std::int64_t version = 1;  // +1 on every status change
    classification scored;     // scores, language, explanation spans
    std::string verdict;       // why the automatic triage chose the initial status
    std::optional<correction_note> correction;  // empty: no event correction was applied
    std::int64_t votes = 0;    // audience upvotes
    // Near-duplicate group (near_duplicate_detector): the id of the group's first question
    // (this question's own id when it starts a group; 0 until stored), and how many
    // questions the group has as of reading.
    std::int64_t cluster_id = 0;
    std::int64_t cluster_size = 1;
    // The group's members in review (pending or held) and its heat (group_heat.hpp), as of
    // reading: what sort=impact orders by.
    std::int64_t cluster_review = 0;
    std::int64_t cluster_heat = 0;
    // How likely the text is a question rather than a statement, slogan or rant (0..1), from
    // the "is it a question?" model on the scoring worker; empty when it was not computed.
    std::optional<float> question_probability;
};

// A question_probability at or above this counts as a question ("is_question" on the wire,
// the executives' "hide what is not a question").
inline constexpr float question_threshold = 0.5f;

// One row of the append-only audit trail.
struct decision_record {
    std::int64_t id = 0;
    std::int64_t question_id = 0;
    std::string actor;   // a moderator's name, or "triage" for the automatic verdict
    // approve | reject | hold | restore | answer | undo by a moderator; auto, inherit or
    // release by "triage" (decision_inheritance.hpp)
    std::string action;
    std::optional<question_status> from;  // empty for the automatic verdict at creation
    question_status to = question_status::pending;
    std::string reason;
    timestamp_ms at = 0;
};

}  // namespace tribune

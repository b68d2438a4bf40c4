#pragma once
// webhook_event: the kinds of change a webhook can subscribe to (docs/api.md "Webhooks"), with
// their wire names in one table, and the rule that names the change an audit row records.
//
// Thread safety: constexpr tables and pure functions.

#include <optional>
#include <string_view>

#include "core/domain/enum_names.hpp"
#include "core/domain/question.hpp"

namespace tribune {

enum class webhook_event {
    question_created,  // a new question was stored (its first audit row, written by triage)
    verdict_changed,   // its status changed: a moderator's decision, a bulk decision, an undo
    answered,          // it was marked answered
};

inline constexpr enum_name_table<webhook_event, 3> webhook_event_names = {{
    {webhook_event::question_created, "question.created"},
    {webhook_event::verdict_changed, "question.verdict_changed"},
    {webhook_event::answered, "question.answered"},
}};

constexpr std::string_view to_string(webhook_event e) {
    return name_in(webhook_event_names, e, "question.verdict_changed");
}

inline std::optional<webhook_event> webhook_event_from_string(std::string_view s) {
    return value_in(webhook_event_names, s);
}

// The webhook event an audit row is: "auto" (the triage's row when a question is stored) is
// its creation; a change to answered is its answer; any other change of status a verdict
// change. Empty when the status did not change.
constexpr std::optional<webhook_event> webhook_event_of(std::string_view action,
                                                       std::optional<question_status> from,
                                                       question_status to) {
    if (action == "auto") return webhook_event::question_created;
    if (from == to) return std::nullopt;
    if (to == question_status::answered) return webhook_event::answered;
    return webhook_event::verdict_changed;
}

}  // namespace tribune

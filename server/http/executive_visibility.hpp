#pragma once
// executive_visibility: executives choose among what moderators approved, so they see
// approved and answered questions only — in lists, by id, in the ranking, on the shortlist,
// in the audit trail, in the "current" of a refused decision and on the live stream — and,
// unless the event's settings allow it (executives_see_scores), none of the classifier's
// scores: no scores, spans, verdict or question probability, and no reason on the audit
// trail's automatic verdict (which quotes scores) (docs/api.md "Access", Roles). Every other
// role sees every state and member its rule lets it reach.
//
// Thread safety: pure functions.

#include <vector>

#include "core/domain/event_settings.hpp"
#include "core/domain/question.hpp"
#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "core/service/stats_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

bool visible_to(const principal& who, const question& q);

// The states a list may select for `who`: an executive's empty selection becomes approved
// and answered. Errors: forbidden when an executive asks for any other state.
status restrict_to_visible(const principal& who, std::vector<question_status>& statuses);
// The same for a reader held to approved and answered questions (an executive's stream).
status restrict_to_public(std::vector<question_status>& statuses);

// True when `who` sees only some members of a question, depending on the event's settings
// (a caller reads the settings only then).
bool fields_depend_on_settings(const principal& who);
// The members of a question `who` may read in an event with `settings`.
question_fields fields_for(const principal& who, const event_settings& settings);

// What of the gauge (stats) `who` may read: an executive, numbers about approved and
// answered questions only, the attributes only when `settings` let executives see scores, and
// never the separating words (they come from rejected texts).
void stats_scope(const principal& who, const event_settings& settings, stats_query& q);

// The audit trail as a reader with `fields` may read it.
std::vector<decision_record> trail_for(std::vector<decision_record> trail, question_fields fields);

}  // namespace tribune::server

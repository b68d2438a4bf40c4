#pragma once
// executive_visibility: executives choose among what moderators approved, so they see
// approved and answered questions only — in lists, by id, in the audit trail, and in the
// "current" of a refused decision (docs/api.md "Access", Roles). Every other role sees
// every state its rule lets it reach.
//
// Thread safety: pure functions.

#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/role.hpp"
#include "core/domain/status.hpp"

namespace tribune::server {

bool visible_to(const principal& who, const question& q);

// The states a list may select for `who`: an executive's empty selection becomes approved
// and answered. Errors: forbidden when an executive asks for any other state.
status restrict_to_visible(const principal& who, std::vector<question_status>& statuses);

}  // namespace tribune::server

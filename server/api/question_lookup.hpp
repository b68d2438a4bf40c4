#pragma once
// question_lookup: the question a /api/v1/questions/{id}/... route names, as every such
// route reads it first — before its access rule, which depends on the question's event.
//
// Thread safety: as its arguments.

#include <optional>

#include "core/service/moderation_query.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

enum class lookup_for { reading, deciding };

// The question, or empty after answering why not: 404 question_not_found for an id that
// is not a positive integer or names no question, and, when `reading`, for a question the
// caller may not see (executive_visibility). A decision finds any state: its refusal says
// what the executive may do.
std::optional<question> find_question(request_context& ctx, moderation_query& query,
                                      lookup_for purpose);

}  // namespace tribune::server

#pragma once
// question_view: the members of a question a request's caller may read in an event
// (executive_visibility::fields_for) — for an executive it depends on the event's settings,
// read here; every other role reads every member without a query.
//
// Thread safety: as its arguments.

#include <cstdint>
#include <optional>
#include <string>

#include "core/service/moderation_query.hpp"
#include "server/api/request_context.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// The fields, or empty after answering why not (the settings could not be read).
std::optional<question_fields> fields_for_event(request_context& ctx, moderation_query& query,
                                                std::int64_t event_id);
// The same for the event with this slug (not_found answers 404 event_not_found).
std::optional<question_fields> fields_for_event(request_context& ctx, moderation_query& query,
                                                const std::string& event_slug);

}  // namespace tribune::server

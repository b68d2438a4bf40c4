#pragma once
// question_codec: the wire format of questions in and out — a submission (from a client or
// the audience), the question list's query parameters and cursor, pages of questions (as
// moderators and as the audience see them), a vote, and the audit trail (docs/api.md
// "Questions"). The question object itself is json_codec's.
//
// Thread safety: pure functions.

#include <map>
#include <string>
#include <vector>

#include "core/service/question_service.hpp"
#include "core/store/store.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// Errors: invalid_field for a wrong type; text_required when text is absent or null.
result<submission> decode_submission(const json& body, std::string event_slug);

// The query parameters of a question list, onto `q`. Errors: invalid_status, invalid_limit,
// invalid_cursor, invalid_field.
status decode_list_query(const std::map<std::string, std::string>& params, question_query& q);
// The audience's list (audience_service::approved sets which questions): sort
// votes|newest|oldest (default votes), limit 1..100 (default 50), cursor. Errors: invalid_field, invalid_limit,
// invalid_cursor.
result<question_query> decode_audience_query(const std::map<std::string, std::string>& params,
                                             std::string event_slug);
std::string encode_cursor(const page_cursor& c);

// {"items": [question...], "next_cursor": "..." | null}, each question with the members `f`
// allows.
json to_json(const question_page& page, question_fields f = {});
json audience_page(const question_page& page);

// The voter of a vote body: "id:<the browser's random id>", else "ip:<address>" (one vote
// per address). Errors: invalid_field.
result<std::string> decode_voter(const json& body, const std::string& client_ip);

json to_json(const decision_record& d);
// {"items": [decision...]}
json to_json(const std::vector<decision_record>& trail);

}  // namespace tribune::server

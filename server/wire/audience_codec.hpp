#pragma once
// audience_codec: the wire format of the audience's endpoints that question_codec does not
// cover (docs/api.md "The audience") — a question asked with a participant id, the event as
// the audience's page sees it, and the status of one's own questions.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/service/audience_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

struct audience_ask {
    submission sub;
    std::optional<std::string> participant;  // the browser's random id, when it sent one
};

// {"text", "author"?, "participant"?}. Errors: as decode_submission; invalid_field for any
// other member or a participant that is not a string of 1 to 100 bytes.
result<audience_ask> decode_audience_ask(const json& body, std::string event_slug);

struct own_questions_request {
    std::string participant;
    std::vector<std::int64_t> ids;
};

// {"participant": "...", "ids": [1, 2]}. Errors: invalid_field; too_many_ids (over
// audience_service::max_own_ids).
result<own_questions_request> decode_own_questions(const json& body);

// {"slug", "title", "questions_open", "name_required"}
json to_json(const audience_event& e);
// {"items": [question as the audience sees it...]}
json own_questions_json(const std::vector<question>& items);

}  // namespace tribune::server

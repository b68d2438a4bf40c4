#pragma once
// json_codec: what every wire document shares — the JSON type, times, the error body, the
// question object, counts per state, lists — and reading a request body. The documents of
// each resource are in their own codec next to this one (question_codec, decision_codec,
// event_codec, policy_codec, access_codec, stream_codec); every JSON byte the server reads
// or writes goes through server/wire/.
//
// Thread safety: pure functions.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/store.hpp"

namespace tribune::server {

using json = nlohmann::json;

std::string format_time(timestamp_ms t);  // 2026-11-28T05:30:00.123Z

// Which members of a question object a reader gets (docs/api.md "Question object").
struct question_fields {
    // scores, spans, verdict and question_probability: the classifier's view of the question.
    // Without them the object still says is_question (the "is it a question?" signal as a
    // yes/no), which the executives' page filters on.
    bool scores = true;
};

// The text of a document. Throws json::type_error on a string that is not valid UTF-8,
// which the decoders never let in.
std::string encode(const json& document);

// Parses a request body as a JSON object. Errors: invalid_json, invalid_utf8.
result<json> parse_object(std::string_view body, std::size_t max_depth = 32);

// {"error": {"code", "message"}}
json error_body(const status& s);
// The error body with "current": the question as it is now (a 409 that shows the state
// the client should have seen), with the members `f` allows. `current` may be null: the
// body is the plain error then.
json error_body(const status& s, const question* current, question_fields f);

// The question as moderators see it (docs/api.md "Question object").
json to_json(const question& q);
// The question with only the members `f` allows.
json to_json(const question& q, question_fields f);
// The "is it a question?" signal as a yes/no: null when it was not computed.
json is_question_json(const question& q);
// What the audience may see of a question: no scores, no verdicts.
json audience_json(const question& q);
json to_json(const status_counts& counts);

// {"items": [encode(value)...]}
template <typename T, typename Encode>
json item_list(const std::vector<T>& values, Encode encode) {
    json items = json::array();
    for (const T& v : values) items.push_back(encode(v));
    return {{"items", std::move(items)}};
}

// {"status":"ok","classifier":...,"queue_depth":n,"websocket_clients":n}
json health_json(std::string_view classifier, std::size_t queue_depth,
                 std::size_t websocket_clients);

// --- Reading members (for the codecs) ------------------------------------------------------
json optional_string(const std::optional<std::string>& s);
// An optional string member; null and absent are the same. Errors: invalid_field.
result<std::optional<std::string>> read_optional_string(const json& body, const char* name);
// A whole decimal integer (an id, a limit, a sequence number) as paths, query parameters and
// member names carry them; empty when `s` is anything else.
std::optional<std::int64_t> parse_int(std::string_view s);

// A page of rows counted by id, from the query parameters `cursor` (an id; absent or 0: from
// the start) and "limit" (1..max_limit; absent: default_limit).
// Errors: invalid_cursor, invalid_limit.
struct id_page {
    std::int64_t cursor = 0;
    std::size_t limit = 0;
};
result<id_page> decode_id_page(const std::map<std::string, std::string>& params,
                               const std::string& cursor, std::size_t default_limit,
                               std::size_t max_limit);

}  // namespace tribune::server

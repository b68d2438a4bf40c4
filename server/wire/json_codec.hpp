#pragma once
// json_codec: the one place where wire JSON is encoded and decoded.
//
// Thread safety: pure functions.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

#include "core/service/event_sink.hpp"
#include "core/domain/question.hpp"
#include "core/service/question_service.hpp"
#include "core/domain/status.hpp"
#include "core/store/store.hpp"

namespace tribune::server {

using json = nlohmann::json;

std::string format_time(timestamp_ms t);  // 2026-11-28T05:30:00.123Z

json to_json(const question& q);
json to_json(const event_info& e);
json to_json(const event_info& e, const status_counts& counts);
json to_json(const status_counts& counts);
json to_json(const decision_record& d);
json error_body(const status& s);

// Parses a request body as a JSON object. Errors: invalid_json, invalid_utf8.
result<json> parse_object(std::string_view body, std::size_t max_depth = 32);

// Errors: invalid_field for a wrong type; text_required when text is absent or not a string.
result<submission> decode_submission(const json& body, std::string event_slug);
result<decision_input> decode_decision(const json& body, std::int64_t question_id);
result<new_event> decode_new_event(const json& body);

json to_json(const event_policy& p);
// Reads a policy document onto `base`: members present replace base's, absent keep them
// (a partial update). Errors: invalid_field naming the member.
result<event_policy> decode_policy(const json& body, event_policy base);
json to_json(const dry_run_report& r);
result<bulk_decision_input> decode_bulk_decision(const json& body, std::string event_slug);

// The query parameters of a question list, onto `q`. Errors: invalid_status, invalid_limit,
// invalid_cursor, invalid_field.
status decode_list_query(const std::map<std::string, std::string>& params, question_query& q);
std::string encode_cursor(const page_cursor& c);

// The broadcast message for one change, without its "seq" member; the hub adds it.
json change_message(const question_change& c);

}  // namespace tribune::server

#pragma once
// stats_codec: the wire format of the gauge of public opinion (docs/api.md "Stats"): the
// query parameters of GET /api/v1/events/{slug}/stats and the numbers of stats_service.
//
// Thread safety: pure functions.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/service/stats_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// A bucket width: an integer with a unit, "30s", "5m", "1h" (a bare integer: seconds).
// Empty when it is not one; the range is stats_service's to check.
std::optional<timestamp_ms> parse_bucket(std::string_view s);

// bucket, threshold (0..1), groups (1..50), words (1..50) onto `q`.
// Errors: invalid_bucket, invalid_field.
status decode_stats_query(const std::map<std::string, std::string>& params, stats_query& q);

// {"event", "bucket_seconds", "threshold", "public_only", "total", "by_status",
//  "first_bucket_start", "arrivals": {"start": [ms...], "<status>": [n...]},
//  "attributes": {"start": [...], "questions": [...], "<attr>": {"mean": [...], "share": [...]}}
//      or null, "groups": [{"cluster_id", "size", "visible", "question": {...} | null}],
//  "words": {"rejected": [...], "approved": [...]} or null, "languages": [{"lang", "questions"}]}.
// Series are columns (one array per series, as charts take them). Questions carry the
// members `f` allows.
json to_json(const event_stats& s, const stats_query& q, question_fields f);

}  // namespace tribune::server

#pragma once
// ranking_codec: the wire format of the executives' ranking (docs/api.md "Ranking"): its
// query parameters, and the ranked groups with each term of their score.
//
// Thread safety: pure functions.

#include <map>
#include <string>

#include "core/service/ranking_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// The formula as the answer states it.
inline constexpr const char* ranking_formula =
    "score = w_votes * ln(1 + votes) + w_group * ln(asked) + "
    "w_recency * 2^(-age_minutes / half_life)";

// w_votes, w_group, w_recency, half_life (minutes), lang, q, questions_only, answered, limit
// onto `q`. Errors: invalid_field, invalid_limit.
status decode_ranking_query(const std::map<std::string, std::string>& params, ranking_query& q);

// {"now", "formula", "weights", "groups", "hidden_not_questions", "topics", "items":
//  [{"question": {...}, "rank": {"score", "votes", "asked", "public_questions", "answered",
//  "age_minutes", "parts": {"votes", "group", "recency"}}}]}; questions with the members `f`
// allows.
json to_json(const ranking& r, const ranking_query& q, question_fields f);

}  // namespace tribune::server

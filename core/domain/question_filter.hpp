#pragma once
// question_filter and question_sort: what a moderator's view selects and how it orders.
// The store applies them in SQL; matches() applies the same rules to one question in
// memory (the live stream decides with it whether a change belongs to a view).
//
// Thread safety: plain values; matches() is a pure function.

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/domain/attribute.hpp"
#include "core/domain/question.hpp"

namespace tribune {

struct question_filter {
    std::vector<question_status> statuses;  // empty: any
    // Score range on one attribute, inclusive: min_score <= score <= max_score.
    std::optional<attribute> score_attr;
    float min_score = 0.0f;
    float max_score = 1.0f;
    std::optional<std::string> lang;
    std::optional<std::string> author;  // exact match
    std::optional<std::string> source;  // exact match
    // Full-text search: every word must occur in the text (after normalisation; a word
    // ending in '*' matches as a prefix). Empty: no search.
    std::string search;
    // One near-duplicate group: questions whose cluster_id is this.
    std::optional<std::int64_t> cluster;
};

enum class question_sort {
    newest,    // id descending
    oldest,    // id ascending
    severity,  // highest score over all attributes first, then newest
    votes,     // most audience votes first, then newest
    // The groups whose decision settles the most first: the group's members in review, then
    // its heat (how fast it grows, group_heat.hpp), then the newest group, then the newest
    // question; a group's members stay together (impact_key).
    impact,
};

std::optional<question_sort> sort_from_string(const std::string& s);
const char* to_string(question_sort s);

// sort=impact's key, compared descending.
inline std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t> impact_key(
    const question& q) {
    return {q.cluster_review, q.cluster_heat, q.cluster_id, q.id};
}

// The severity used for sorting: the highest of the six scores.
float severity_of(const question& q);
// The severity sort key as stores keep it: severity_of() in thousandths, rounded.
std::int64_t severity_milli(const question& q);

// True when `q` satisfies every part of `f`.
bool matches(const question_filter& f, const question& q);

// The normalised search words of `search` (lowercase, accents folded), for SQL and matches().
std::vector<std::string> search_terms(const std::string& search);

}  // namespace tribune

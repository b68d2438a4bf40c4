#pragma once
// ranking_service: the executives' ranking of an event's approved and answered questions by a
// transparent score (docs/api.md "Ranking"). Near-duplicates count as one question asked by
// several people: each group of near-duplicates (question.cluster_id) is one item, shown by
// its first public question, and scored
//
//   score = w_votes   * ln(1 + votes)                       votes: of the group's public questions
//         + w_group   * ln(asked)                           asked: the group's size (every state)
//         + w_recency * 2^(-age_minutes / half_life_minutes)  age: of its newest public question
//
// ties broken by the older first question. Filters: language, search words (as the question
// list's q), "questions only" (drops questions the "is it a question?" signal puts below
// question_threshold, core/domain/question.hpp; unscored ones stay), answered groups in or out. It also counts the
// topic words (topic_words.hpp) of the questions it ranked, for the page's topic filters.
//
// Cost: it reads every matching approved and answered question of the event, a page at a
// time (memory: a few dozen bytes per group, plus one page), then the top `limit` questions.
//
// Ownership: borrows the store, which must outlive it.
// Thread safety: every method is safe from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/question_store.hpp"

namespace tribune {

struct rank_weights {
    double votes = 1.0;
    double group = 1.0;
    double recency = 1.0;
    double half_life_minutes = 30.0;
};

struct ranking_query {
    std::string event_slug;
    rank_weights weights;
    std::optional<std::string> lang;
    std::string search;             // as question_filter::search
    bool questions_only = false;    // hide what the signal says is not a question
    bool include_answered = true;   // false: groups with an answered question are left out
    std::size_t limit = 100;
    timestamp_ms now = 0;           // the time recency is measured from
};

// Each term of the score, weighted.
struct rank_parts {
    double votes = 0;
    double group = 0;
    double recency = 0;
    double score() const { return votes + group + recency; }
};

struct ranked_question {
    question q;  // the group's first approved or answered question
    std::int64_t votes = 0;        // of the group's public questions
    std::int64_t asked = 1;        // the group's size
    std::int64_t public_members = 1;
    bool answered = false;         // some question of the group is answered
    double age_minutes = 0;        // of the group's newest public question
    rank_parts parts;
    double score = 0;
};

struct topic_count {
    std::string word;
    std::int64_t questions = 0;
};

struct ranking {
    std::vector<ranked_question> items;  // best first, at most `limit`
    std::size_t groups = 0;              // every group that matched
    std::size_t hidden_not_questions = 0;  // questions left out by questions_only
    std::vector<topic_count> topics;     // most frequent first, at most max_topics
};

class ranking_service {
public:
    static constexpr std::size_t max_topics = 12;
    static constexpr std::size_t max_limit = 500;

    explicit ranking_service(question_store& questions) : questions_(questions) {}

    // The score's terms for a group (the formula above). REQUIRES: half_life_minutes > 0.
    static rank_parts score(const rank_weights& w, std::int64_t votes, std::int64_t asked,
                            double age_minutes);

    // Errors: invalid_argument (invalid_limit, invalid_field), not_found (event_not_found),
    // unavailable.
    result<ranking> rank(const ranking_query& q);

private:
    question_store& questions_;
};

}  // namespace tribune

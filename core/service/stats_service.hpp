#pragma once
// stats_service: the gauge of public opinion — the numbers behind the dashboards' charts,
// GET /api/v1/events/{slug}/stats and `tribune report` (docs/api.md "Stats"):
//
//  - arrivals: questions per time bucket (by created_at), by their state now;
//  - attributes: per bucket, the mean score of each attribute and the number of questions
//    whose score is at or above `threshold` (share = over / questions);
//  - groups: the largest near-duplicate groups (size counts members in every state, as the
//    ranking's "asked"), each shown by its first question the reader may see;
//  - words: the topic words (topic_words.hpp, counted once per question) that most separate
//    rejected (rejected, auto_rejected) from approved (approved, answered) questions, by the
//    log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008):
//      prior  a_w = prior_strength * (y_w / n)      y_w: the word's count in both classes,
//                                                   n: every word counted in both classes
//      delta  = ln((y_rw + a_w) / (n_r + a0 - y_rw - a_w)) - ln((y_aw + a_w) / (n_a + a0 - y_aw - a_w))
//      z      = delta / sqrt(1 / (y_rw + a_w) + 1 / (y_aw + a_w))     a0 = prior_strength
//    the highest z lean to rejected, the lowest to approved; words seen fewer than
//    min_word_count times are left out;
//  - languages: questions per detected language.
//
// Buckets are dense (empty ones included) from the first to the last arrival, the last
// max_buckets of them: older arrivals count in `total` and the other parts but in no bucket
// (`first_bucket_start` says where the buckets begin).
//
// A public-only reader (an executive) sees numbers about approved and answered questions
// only; without scores (executives_see_scores off) no attributes; and never the words (they
// come from rejected texts). Group sizes still count every member, as the ranking does.
//
// Cost: one scan of the event's questions (store::scan_questions; memory: one counter per
// bucket, group, language and distinct word), then one read per group shown.
// Ownership: borrows the stores, which must outlive it.
// Thread safety: every method is safe from any thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/attribute.hpp"
#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"

namespace tribune {

struct stats_query {
    std::string event_slug;
    timestamp_ms bucket_ms = 60'000;
    bool public_only = false;   // approved and answered questions only
    bool with_scores = true;    // attribute shares (false: `attributes` stays empty)
    bool with_words = true;     // separating words (false: `words_*` stay empty)
    float threshold = 0.5f;     // a score at or above it counts as "over"
    std::size_t top_groups = 10;
    std::size_t top_words = 15;
};

inline constexpr std::size_t status_count = std::size(all_statuses);

struct arrival_bucket {
    timestamp_ms start = 0;
    std::array<std::int64_t, status_count> by_status{};  // indexed like all_statuses
    std::int64_t total() const;
};

struct attribute_bucket {
    timestamp_ms start = 0;
    std::int64_t questions = 0;  // scored questions in the bucket
    std::array<double, attribute_count> mean{};       // indexed by attribute
    std::array<std::int64_t, attribute_count> over{}; // score >= threshold
};

struct group_stat {
    std::int64_t cluster_id = 0;
    std::int64_t size = 0;  // members in every state
    std::int64_t visible = 0;  // members the reader may see
    std::optional<question> shown;  // the first member the reader may see, if any
};

struct word_stat {
    std::string word;
    std::int64_t rejected = 0;  // rejected questions with the word
    std::int64_t approved = 0;  // approved questions with the word
    double log_odds = 0;        // delta above
    double z = 0;
};

struct language_stat {
    std::string lang;
    std::int64_t questions = 0;
};

struct event_stats {
    timestamp_ms bucket_ms = 0;
    float threshold = 0.5f;
    std::int64_t total = 0;  // questions counted (public only: the public ones)
    std::array<std::int64_t, status_count> by_status{};
    std::optional<timestamp_ms> first_bucket_start;  // empty when there are no questions
    std::vector<arrival_bucket> arrivals;
    std::vector<attribute_bucket> attributes;
    std::vector<group_stat> groups;       // largest first, then older first
    std::vector<word_stat> words_rejected;  // most z first
    std::vector<word_stat> words_approved;  // most negative z first
    std::vector<language_stat> languages;   // most questions first
};

class stats_service {
public:
    static constexpr timestamp_ms min_bucket_ms = 1'000;
    static constexpr timestamp_ms max_bucket_ms = 86'400'000;
    static constexpr std::size_t max_buckets = 1'440;
    static constexpr double prior_strength = 1'000.0;
    static constexpr std::int64_t min_word_count = 3;

    stats_service(event_store& events, question_store& questions)
        : events_(events), questions_(questions) {}

    // Errors: invalid_argument (invalid_bucket), not_found (event_not_found), unavailable.
    result<event_stats> compute(const stats_query& q);

    // The log-odds ratio with the prior for one word (the formula above). REQUIRES: n > 0.
    static word_stat separation(std::string word, std::int64_t y_rejected,
                                std::int64_t y_approved, double n_rejected, double n_approved);

private:
    event_store& events_;
    question_store& questions_;
};

}  // namespace tribune

#pragma once
// feedback_store: durable storage of the scores clients suggest for a text
// (POST /v1alpha1/comments:suggestscore), kept as labelled examples an admin exports. One of
// the narrow store interfaces (store.hpp), kept apart from the `store` aggregate.
//
// Thread safety: every method may be called from any thread concurrently.
// Errors: unavailable when the database cannot be written.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"

namespace tribune {

// One suggested score: the summary of an attribute (no span) or a part of the text, in
// UTF-16 code units as the client counted them.
struct suggested_score {
    std::string attribute;  // as the client named it, e.g. "TOXICITY"
    std::optional<std::size_t> span_begin;
    std::optional<std::size_t> span_end;
    float value = 0.0f;  // a probability, 0..1
};

struct context_entry {
    std::string text;
    std::string type;  // "" when not given
};

struct suggestion {
    std::int64_t id = 0;  // 0 until stored
    std::string text;
    std::vector<std::string> languages;  // as requested
    std::optional<std::string> community_id;
    std::optional<std::string> client_token;
    std::optional<std::string> session_id;
    std::vector<context_entry> context;
    std::vector<suggested_score> scores;
    std::string submitted_by;  // the key's token name
    timestamp_ms created_at = 0;
};

class feedback_store {
public:
    virtual ~feedback_store() = default;

    // Stores the suggestion, its scores and context in one transaction; returns its id.
    // REQUIRES: created_at set.
    virtual result<std::int64_t> add_suggestion(const suggestion& s) = 0;
    // Suggestions with an id above `after_id`, oldest first, at most `limit`.
    virtual result<std::vector<suggestion>> list_suggestions(std::int64_t after_id,
                                                             std::size_t limit) = 0;
};

}  // namespace tribune

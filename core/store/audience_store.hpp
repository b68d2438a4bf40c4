#pragma once
// audience_store: what the audience and the executives add to approved questions — votes and
// the event's shortlist.
//
// One of the narrow store interfaces (see store.hpp).
// Thread safety: every method may be called from any thread concurrently.
// Errors: as documented per method; unavailable when the storage cannot be read or written.

#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"

namespace tribune {

// One question on an event's shortlist.
struct shortlist_entry {
    question q;
    std::string added_by;
    timestamp_ms added_at = 0;
};

class audience_store {
public:
    virtual ~audience_store() = default;

    // One vote per voter. Errors: not_found; conflict (code "not_votable") unless the
    // question is approved or answered. Returns the question with its vote count.
    virtual result<question> add_vote(std::int64_t question_id, const std::string& voter) = 0;

    // The event's shortlist: questions an executive chose to answer, oldest addition first.
    // Adding one already there changes nothing. Errors: not_found (question_not_found, also
    // for a question of another event); conflict (code "not_shortlistable") unless it is
    // approved or answered.
    virtual result<shortlist_entry> shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                  const std::string& actor) = 0;
    // Errors: not_found (code "not_on_shortlist").
    virtual status shortlist_remove(std::int64_t event_id, std::int64_t question_id) = 0;
    virtual result<std::vector<shortlist_entry>> shortlist(std::int64_t event_id) = 0;
};

}  // namespace tribune

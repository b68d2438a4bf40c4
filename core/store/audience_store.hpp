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
#include "core/domain/shortlist.hpp"
#include "core/domain/status.hpp"

namespace tribune {

class audience_store {
public:
    virtual ~audience_store() = default;

    // One vote per voter. Errors: not_found; conflict (code "not_votable") unless the
    // question is approved or answered. Returns the question with its vote count.
    virtual result<question> add_vote(std::int64_t question_id, const std::string& voter) = 0;

    // The event's shortlist: questions an executive chose to answer, in the executives'
    // order (position, then question id). Only entries whose question is approved or answered
    // now are listed: one a moderator took back stays stored but hidden, and shows again in
    // its place if it is approved again.
    virtual result<std::vector<shortlist_entry>> shortlist(std::int64_t event_id) = 0;
    // Adds the question at the end of the order. Adding one already there changes nothing.
    // Errors: not_found (question_not_found, also for a question of another event); conflict
    // (code "not_shortlistable") unless it is approved or answered.
    virtual result<shortlist_entry> shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                  const std::string& actor) = 0;
    // Errors: not_found (code "not_on_shortlist").
    virtual status shortlist_remove(std::int64_t event_id, std::int64_t question_id) = 0;
    // Applies `edit` to the entry in one transaction: a note (note_by = actor, note_at = now;
    // empty clears it), and "answering now" — set, it is cleared on every other entry of the
    // event.
    // Errors: not_found (not_on_shortlist, also for an entry hidden because its question is no
    // longer approved or answered).
    virtual result<shortlist_entry> shortlist_update(std::int64_t event_id, std::int64_t question_id,
                                                     const shortlist_edit& edit,
                                                     const std::string& actor) = 0;
    // Puts the listed entries in the order given (positions 1..n) in one transaction; hidden
    // entries follow them in their old order. `order` must name every listed entry exactly
    // once. Errors: conflict (code "shortlist_changed") when it does not — the shortlist
    // changed since the caller read it. Returns the shortlist as shortlist() would.
    virtual result<std::vector<shortlist_entry>> shortlist_reorder(
        std::int64_t event_id, const std::vector<std::int64_t>& order) = 0;
};

}  // namespace tribune

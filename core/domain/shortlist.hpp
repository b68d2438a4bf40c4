#pragma once
// The executives' shortlist of an event (docs/api.md "The executives' shortlist"): the
// approved questions they mean to answer, in the order they chose, each with a short written
// answer or note, and at most one of them marked as being answered now.
//
// Thread safety: plain values.

#include <cstdint>
#include <optional>
#include <string>

#include "core/domain/question.hpp"

namespace tribune {

struct shortlist_entry {
    question q;
    std::string added_by;
    timestamp_ms added_at = 0;
    std::int64_t position = 0;  // the executives' order, ascending
    std::string note;           // a short written answer or note; empty: none
    std::string note_by;        // who wrote the note last; empty: nobody
    timestamp_ms note_at = 0;
    // Set while the question is being answered now (one entry per event at most).
    std::optional<timestamp_ms> answering_since;
};

// A change to one entry: the members given replace the stored ones.
struct shortlist_edit {
    std::optional<std::string> note;
    std::optional<bool> answering_now;  // true clears it on every other entry of the event
};

}  // namespace tribune

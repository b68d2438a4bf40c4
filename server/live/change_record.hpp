#pragma once
// change_record: one numbered change of an event, as the hub hands it to every session and
// keeps it for resume: a question's change or a change of the executives' shortlist. It
// carries the change itself (sessions match it against their view), its per-change wire
// message (stream protocol v1, and the body of a frame's change entry), and the event's exact
// counts per state right after it.
//
// Thread safety: immutable once built; shared between threads as shared_ptr<const>.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/service/event_sink.hpp"
#include "core/domain/question.hpp"

namespace tribune::server {

// Questions per state, indexed by static_cast<std::size_t>(question_status).
using state_counts = std::array<std::int64_t, std::size(all_statuses)>;

struct change_record {
    std::uint64_t seq = 0;
    question_change change;  // unused when `shortlist` is set
    // Set for a change of the shortlist (the counts do not move).
    std::shared_ptr<const shortlist_change> shortlist;
    // {"seq":N,"type":"question","change":...,"from":...,"actor":...,"question":{...}}, or
    // {"seq":N,"type":"shortlist",...} (shortlist_codec), every member of every question.
    std::string message;
    state_counts counts{};  // after this change; meaningful only when `counted`
    bool counted = false;   // false while the hub does not track this event's counts yet
};

}  // namespace tribune::server

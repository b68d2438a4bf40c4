#pragma once
// change_record: one numbered change of an event, as the hub hands it to every session and
// keeps it for resume. It carries the change itself (sessions match it against their view),
// its per-change wire message (stream protocol v1, and the body of a frame's change entry),
// and the event's exact counts per state right after it.
//
// Thread safety: immutable once built; shared between threads as shared_ptr<const>.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/service/event_sink.hpp"
#include "core/domain/question.hpp"

namespace tribune::server {

// Questions per state, indexed by static_cast<std::size_t>(question_status).
using state_counts = std::array<std::int64_t, std::size(all_statuses)>;

struct change_record {
    std::uint64_t seq = 0;
    question_change change;
    // {"seq":N,"type":"question","change":...,"from":...,"actor":...,"question":{...}}
    std::string message;
    state_counts counts{};  // after this change; meaningful only when `counted`
    bool counted = false;   // false while the hub does not track this event's counts yet
};

}  // namespace tribune::server

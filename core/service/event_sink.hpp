#pragma once
// event_sink: where the core announces changes (the server's broadcast hub implements it).
//
// Thread safety: implementations must accept calls from any thread (scoring workers and
// request threads) and must not block for long: encode, enqueue, return.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/shortlist.hpp"

namespace tribune {

enum class change_kind { created, updated };

struct question_change {
    change_kind kind = change_kind::created;
    std::optional<question_status> from;  // empty for created
    question q;
    std::string actor;  // empty for automatic changes
};

// A change of an event's shortlist, with the whole listed shortlist after it (it is short,
// and a client that applies it needs nothing else).
struct shortlist_change {
    std::string event;   // the event's slug
    std::string action;  // added | removed | updated | answered | reordered
    std::int64_t question_id = 0;  // the entry changed; 0 for a reorder
    std::string actor;
    std::vector<shortlist_entry> entries;  // in the executives' order
};

class event_sink {
public:
    virtual ~event_sink() = default;
    virtual void question_changed(const question_change& change) = 0;
    // Several changes made by one request (a bulk decision), to be delivered together.
    virtual void questions_changed(const std::vector<question_change>& changes) {
        for (const auto& c : changes) question_changed(c);
    }
    // The executives changed the event's shortlist.
    virtual void shortlist_changed(const shortlist_change&) {}
};

}  // namespace tribune

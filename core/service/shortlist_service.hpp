#pragma once
// shortlist_service: the executives' shortlist (docs/api.md "The executives' shortlist") —
// read it, add and remove questions, edit an entry (a short written answer or note,
// "answering now" — one entry per event —, "answered"), put it in another order — and what
// the room's display shows of it (display_of). Every change is announced on the event_sink
// with the whole shortlist after it:
//
//   change: validate -> audience_store (one transaction) -> read the shortlist -> event_sink.
//
// "Answered" is the moderation decision "answer" (question_service::decide: status, audit
// trail, broadcast) followed by clearing "answering now" on that entry.
//
// Ownership: borrows the stores, the question service and the sink; they must outlive it.
// Thread safety: every method is safe from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/shortlist.hpp"
#include "core/domain/status.hpp"
#include "core/service/event_sink.hpp"
#include "core/service/question_service.hpp"
#include "core/store/audience_store.hpp"
#include "core/store/event_store.hpp"

namespace tribune {

// What an executive changes on one entry; members left empty stay as they are.
struct shortlist_edit_input {
    std::optional<std::string> note;    // empty string: no note
    std::optional<bool> answering_now;  // true: this one, and no other, is being answered now
    bool answered = false;              // mark the question answered (and no longer answering now)
};

// What the room's display shows: the entry being answered now, and the next ones in the
// executives' order (not answered, not the one being answered).
struct display_state {
    std::optional<shortlist_entry> now;
    std::vector<shortlist_entry> next;
};

// REQUIRES: `entries` in the executives' order (as shortlist_service::list returns them).
display_state display_of(const std::vector<shortlist_entry>& entries, std::size_t next_count);

class shortlist_service {
public:
    static constexpr std::size_t max_note_chars = 1000;
    static constexpr std::size_t max_order_size = 1000;

    shortlist_service(event_store& events, audience_store& audience, question_service& questions,
                      event_sink& sink)
        : events_(events), audience_(audience), questions_(questions), sink_(sink) {}

    // Errors (every method): not_found (event_not_found), unavailable.
    result<std::vector<shortlist_entry>> list(const std::string& event_slug);
    // Errors: not_found (question_not_found), conflict (not_shortlistable).
    result<shortlist_entry> add(const std::string& event_slug, std::int64_t question_id,
                                const std::string& actor);
    // Errors: not_found (not_on_shortlist).
    status remove(const std::string& event_slug, std::int64_t question_id,
                  const std::string& actor);
    // Errors: invalid_argument (invalid_field: a note too long; invalid_utf8), not_found
    // (not_on_shortlist), and the decision's errors when `answered`.
    result<shortlist_entry> edit(const std::string& event_slug, std::int64_t question_id,
                                 const shortlist_edit_input& in, const std::string& actor);
    // Errors: invalid_argument (too_many), conflict (shortlist_changed).
    result<std::vector<shortlist_entry>> reorder(const std::string& event_slug,
                                                 const std::vector<std::int64_t>& order,
                                                 const std::string& actor);

private:
    // Reads the shortlist after a change and announces it.
    void announce(const event_info& ev, std::string action, std::int64_t question_id,
                  const std::string& actor);

    event_store& events_;
    audience_store& audience_;
    question_service& questions_;
    event_sink& sink_;
};

}  // namespace tribune

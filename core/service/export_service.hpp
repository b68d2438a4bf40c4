#pragma once
// export_service: every question of an event with its scores, group, state and audit trail,
// read a page at a time (GET /api/v1/events/{slug}/export, docs/api.md "Export"), so an
// export of any size holds at most one page of questions and their trails in memory.
//
// An export_cursor walks the event's questions oldest first (by id, keyset pagination):
// questions stored after it started are included when their id is past the cursor; a
// question decided while the export runs appears in the state read with its page.
//
// Ownership: the service and its cursors borrow the stores, which must outlive them.
// Thread safety: the service is safe from any thread; a cursor is used by one thread at a
// time.

#include <cstddef>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/decision_store.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"

namespace tribune {

struct export_page {
    std::vector<question> items;          // at most the cursor's page size, oldest first
    std::vector<decision_record> trail;   // of those questions, by question id, oldest first
};

class export_cursor {
public:
    export_cursor(question_store& questions, decision_store& decisions, event_info event,
                  std::size_t page_size);

    const event_info& event() const { return event_; }
    std::size_t page_size() const { return page_size_; }
    // True once next() returned the last page.
    bool done() const { return done_; }
    // The next page (empty once the event has no further question). Errors: unavailable.
    result<export_page> next();

private:
    question_store& questions_;
    decision_store& decisions_;
    event_info event_;
    std::size_t page_size_;
    question_query query_;
    bool done_ = false;
};

class export_service {
public:
    // Questions per page: bounds an export's memory (a page of questions with their spans
    // and trails, a few hundred KiB at the largest text limit).
    static constexpr std::size_t page_size = 500;
    static_assert(page_size <= decision_store::max_trail_batch);

    export_service(event_store& events, question_store& questions, decision_store& decisions)
        : events_(events), questions_(questions), decisions_(decisions) {}

    // Errors: not_found (event_not_found), unavailable.
    result<export_cursor> open(const std::string& event_slug);

private:
    event_store& events_;
    question_store& questions_;
    decision_store& decisions_;
};

}  // namespace tribune

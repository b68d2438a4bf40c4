#pragma once
// store: durable storage of events, questions, decisions, the audience's additions and
// access, as one object. A backend (sqlite_store; a PostgreSQL backend next; memory_store
// for tests) implements this aggregate; each service takes only the narrow interfaces it
// uses:
//
//   event_store     events and their triage policies
//   question_store  the group commit of new questions, reads, pages, scans, counts
//   decision_store  moderators' decisions, bulk, undo, the audit trail
//   audience_store  votes and the executives' shortlist
//   access_store    tokens and browser sessions
//
// Two more narrow interfaces are not part of the aggregate, because only the Perspective and
// webhook use cases read them: feedback_store (the scores clients suggest) and webhook_store
// (webhooks, their outbox and delivery log). sqlite_store implements both; memory_store
// implements feedback_store.
//
// The interfaces name no SQL and no SQLite: errors are the domain's (not_found, conflict,
// invalid_argument as documented per method; unavailable when the database cannot be read
// or written: disk full, read-only, busy too long).
// Thread safety: every method may be called from any thread concurrently.

#include "core/store/access_store.hpp"
#include "core/store/audience_store.hpp"
#include "core/store/decision_store.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"

namespace tribune {

class store : public event_store,
              public question_store,
              public decision_store,
              public audience_store,
              public access_store {
public:
    ~store() override = default;
};

}  // namespace tribune

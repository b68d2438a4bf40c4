#pragma once
// change_source: the question changes other processes committed to a database this process
// shares with them (several Tribune instances on one PostgreSQL database), delivered to an
// event_sink — the server's live feed — as if they had been made here. A backend without
// sharing (SQLite: one process) has none (store_backend::open_change_source() returns null).
//
// Thread safety: start() and stop() from one thread; the sink is called from the source's own
// thread, as event_sink allows.

#include "core/domain/status.hpp"
#include "core/service/event_sink.hpp"

namespace tribune {

class change_source {
public:
    virtual ~change_source() = default;
    // Starts delivering to `sink`, which must outlive stop(). Errors: unavailable when the
    // database cannot be listened to.
    virtual status start(event_sink& sink) = 0;
    // Stops delivering; returns once the sink is no longer called. Idempotent.
    virtual void stop() = 0;
};

}  // namespace tribune

#pragma once
// change_source: the changes committed to a database that several processes share (several
// Tribune instances on one PostgreSQL database), delivered to an event_sink — the server's
// live feed — numbered per event by the database (numbered_sink). A backend without sharing (SQLite: one
// process) has none (store_backend::open_change_source() returns null), and its hub numbers
// the changes itself.
//
// With a change source, the source delivers EVERY committed change, this process's own
// included, each with its number; the process must not
// publish its services' own announcements (they would appear twice). A change of the
// shortlist, which the store does not announce, is handed to announce() instead.
// Numbers are per event, increase by one per change, and are the same on every instance; a
// position (epoch(), seq) is valid on every instance of the same database.
//
// Thread safety: open(), start() and stop() from one thread; epoch() and positions() after
// open(); announce() from any thread; the sink is called from the source's own thread, in
// the order of the numbers of each event.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/status.hpp"
#include "core/service/event_sink.hpp"

namespace tribune {

// What a change_source delivers to: each change with the number the database gave it in its
// event. Called from the source's thread, in the order of the numbers of each event.
class numbered_sink {
public:
    virtual ~numbered_sink() = default;
    virtual void question_changed(const question_change& change, std::uint64_t seq) = 0;
    virtual void shortlist_changed(const shortlist_change& change, std::uint64_t seq) = 0;
    // A message some instance (this one included) passed to announce_presence(). Not numbered,
    // not stored: what was said while this instance was away is lost (senders repeat theirs).
    virtual void presence_announced(const std::string& message) { (void)message; }
};

class change_source {
public:
    virtual ~change_source() = default;
    // Connects and starts listening; notifications wait until start(). Errors: unavailable.
    virtual status open() = 0;
    // Names the numbering (the same on every instance of the database).
    virtual const std::string& epoch() const = 0;
    // The last number of every event as of open(): changes up to it are not delivered.
    virtual std::vector<std::pair<std::string, std::uint64_t>> positions() const = 0;
    // Starts delivering to `sink`, which must outlive stop(): every change numbered after
    // positions(), in order, also those committed while the connection was lost (read back
    // once it is re-established). Errors: unavailable.
    virtual status start(numbered_sink& sink) = 0;
    // Stops delivering; returns once the sink is no longer called. Idempotent.
    virtual void stop() = 0;
    // Numbers and announces a change of an event's shortlist (already committed): every
    // instance's sink receives it, with the shortlist as it is when read back. Errors:
    // unavailable (the change is stored; streams see it with the next change or a snapshot).
    virtual status announce(const shortlist_change& change) = 0;
    // Passes `message` (opaque here: the server's presence listing; at most
    // max_presence_message bytes, longer ones are refused) to every instance's sink, this one's
    // included, within about a second. Never blocks: the newest message not yet sent replaces
    // an older one. Errors: invalid_argument (too long).
    static constexpr std::size_t max_presence_message = 7'000;
    virtual status announce_presence(std::string message) = 0;
};

}  // namespace tribune

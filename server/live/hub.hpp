#pragma once
// hub: the fan-out of the live stream. Each change of an event is encoded once, numbered
// with the event's next sequence number, counted into the event's exact counts per state,
// kept in a bounded per-event history for resume, and handed to every stream joined to
// that event as one shared immutable change_record.
//
// Counts per state are kept in memory so that no frame needs a database query. They are
// read through moderation_query — at start-up (seed_counts(), before any request is served)
// or when a stream first joins an event not counted yet — always outside the hub's mutex,
// and taken only if no change was numbered while they were read (else read again). A change
// committed but not yet announced while they are read would be counted twice; seeding at
// start-up closes that window when the hub numbers the changes itself (SQLite). When a
// change_source numbers them (PostgreSQL), the counts come with the number of the last change
// they include (event_counts::through): changes up to it that arrive afterwards do not move
// the counts again, and counts read before changes the hub already has are read again.
//
// Who is online, the arrivals per minute and revocation are presence's; the hub only
// numbers and fans out changes.
//
// Fan-out off the threads that answer HTTP: publish() numbers, counts and queues the record
// in its event's pending batch (streams without a view — per-change, display — get it at
// once, as a batch of one, so their send queues count changes one by one) (bounded: beyond max_pending_per_event the oldest are
// dropped, and streams see the gap). The hub's own fan-out thread takes every event's batch
// at most once per tick (the first change after a quiet tick goes at once), encodes it once
// per distinct view among the event's streams (view_spec::encode: the entries and the whole
// frame, shared by every session with that view) and hands each stream one delivery per
// tick. Work per change is thus per distinct view, not per session, and the per-session work
// is one post per tick. A page view (view_spec::pages()) is encoded through a page_window the
// fan-out thread keeps per event and view, so its frame carries only what changes the page;
// the window reads the database (outside the mutex) at its first batch and when it runs low.
//
// Thread safety: one mutex guards all state but the page windows, which only the fan-out
// thread touches; the fan-out thread holds it only to take the
// batches and the subscriber lists, and encodes and delivers outside it (deliveries of one
// event stay in order: one thread delivers them). Subscribers locked from their weak
// references are released outside the mutex: releasing the last reference runs the
// session's destructor, which calls leave(). join() returns the current position
// synchronously; records after that position reach the subscriber afterwards.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/service/event_sink.hpp"
#include "core/service/moderation_query.hpp"
#include "server/live/change_record.hpp"
#include "server/live/stream_subscriber.hpp"
#include "server/live/page_window.hpp"
#include "server/live/view_spec.hpp"

namespace tribune::server {

class hub {
  public:
    // At most one fan-out per event per tick: the frame interval of the view protocol, so
    // a dashboard reading along gets one shared frame per tick.
    static constexpr std::chrono::milliseconds tick{100};
    // Changes waiting for the fan-out thread, per event.
    static constexpr std::size_t max_pending_per_event = 65536;

    // `epoch` names the numbering: empty for a random one (the hub numbers the changes
    // itself, and positions are valid in this run only), or a change_source's (the changes
    // arrive numbered by the database, and positions are valid on every instance).
    hub(std::size_t history_per_event, moderation_query& counts, std::string epoch = {});
    ~hub();  // stop()
    // Stops the fan-out thread: nothing is delivered after it returns (call it before the
    // streams' executors go away). Idempotent.
    void stop();
    hub(const hub&) = delete;
    hub& operator=(const hub&) = delete;

    // Numbers `change` in its event and hands it to the event's streams. Any thread.
    // A change numbered already (`seq`, by a change_source) keeps its number: one not above
    // the event's last is dropped (delivered before), and one that skips numbers empties the
    // history, so that no stream resumes across the numbers it lacks.
    void publish(const question_change& change, std::optional<std::uint64_t> seq = std::nullopt);
    // The same for a change of the event's shortlist.
    void publish(const shortlist_change& change, std::optional<std::uint64_t> seq = std::nullopt);

    // Where an event's stream stands for a joining subscriber.
    struct position {
        std::uint64_t seq = 0;
        state_counts counts{};  // exact as of `seq` when `counted`
        bool counted = false;   // false only when the counts could not be read
        // Set when since/epoch named a point this hub still has: the records after it.
        std::optional<std::vector<std::shared_ptr<const change_record>>> missed;
    };

    // Joins `s` to `event` (again: replaces its view) and returns the current position. `spec`:
    // the view the stream shows (view protocol), for frames encoded once per view. When
    // `since`/`epoch` name a point still in the history, `missed` holds every record after
    // it. Records numbered after the returned seq are delivered to `s` afterwards, in order;
    // records up to it may also arrive (already posted) and are to be ignored by seq.
    position join(const std::string& event, const std::shared_ptr<stream_subscriber>& s,
                  std::optional<std::uint64_t> since, const std::string& epoch,
                  std::shared_ptr<const view_spec> spec = nullptr);
    // Takes `s` off the event (no effect when it is not joined). Called by its destructor.
    void leave(const std::string& event, const stream_subscriber* s);

    // Reads every event's counts now. Call before serving requests for counts that are exact
    // from the start (see the header comment); without it events are counted when joined.
    void seed_counts();

    // Where the database's numbering of `event` stands before any of its changes is
    // published (change_source::positions()). Call before seed_counts().
    void start_at(const std::string& event, std::uint64_t seq);

    // Identifies the numbering: this server run's, or the shared database's.
    const std::string& epoch() const { return epoch_; }

  private:
    struct member {
        std::weak_ptr<stream_subscriber> stream;
        std::shared_ptr<const view_spec> spec;  // null: no view (per-change, display)
    };
    struct channel {
        std::uint64_t seq = 0;
        bool counted = false;
        std::uint64_t counted_from = 0;  // seq at which counting began
        // The counts include every change numbered up to this one (event_counts::through):
        // those arriving later are numbered and fanned out, but not counted again.
        std::uint64_t counted_through = 0;
        state_counts counts{};
        std::deque<std::shared_ptr<const change_record>> history;
        std::vector<std::shared_ptr<const change_record>> pending;  // for the next tick
        std::uint64_t pending_prev = 0;  // seq just before pending.front()
        std::unordered_map<const stream_subscriber*, member> subscribers;
        // How many of `subscribers` have no view (get each change at once, from publish()):
        // publish() walks the subscribers only when there are any, not for 1,000 dashboards.
        std::size_t without_view = 0;
    };
    // One event's work for a tick, taken under the mutex.
    struct fan_out_work {
        std::string event;
        std::shared_ptr<const change_batch> batch;
        std::vector<member> members;
    };

    // The fan-out thread: waits for changes, then delivers every event's batch, each tick.
    void run();
    // Encodes `w` once per distinct view and delivers it. REQUIRES: mutex_ not held.
    // The fan-out thread only.
    void deliver(fan_out_work& w);

    // Numbers `rec` (its change and message body set) in `event`, keeps it and hands it to
    // the event's streams; moves the counts by `from` -> `to` when given.
    void fan_out(const std::string& event, std::shared_ptr<change_record> rec,
                 const std::string& body, std::optional<question_status> from,
                 std::optional<question_status> to, std::optional<std::uint64_t> seq);
    // REQUIRES: mutex_ held.
    channel& channel_for(const std::string& event);
    // REQUIRES: mutex_ held.
    position position_of(const channel& ch, std::optional<std::uint64_t> since,
                         const std::string& epoch) const;
    // From now on `ch` is counted, starting from `counts`. REQUIRES: mutex_ held.
    // `through`: the number of the last change `counts` include, when known.
    static void start_counting(channel& ch, const status_counts& counts,
                               std::optional<std::uint64_t> through);
    // Whether counts that include the changes up to `through` (when known) can start `ch`:
    // not when `ch` has numbered changes they miss. REQUIRES: mutex_ held.
    static bool can_start_counting(const channel& ch, std::optional<std::uint64_t> through);
    // Counts the event from the store if it is not counted yet. REQUIRES: mutex_ not held.
    void count_event(const std::string& event);

    const std::size_t history_limit_;
    const std::string epoch_;
    moderation_query& counts_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, channel> channels_;  // GUARDED_BY(mutex_)
    bool seeded_all_ = false;                            // GUARDED_BY(mutex_)
    bool work_waiting_ = false;                          // GUARDED_BY(mutex_)
    bool stopping_ = false;                              // GUARDED_BY(mutex_)
    std::condition_variable wake_;
    // Per event, per view key: the pages of page views (the fan-out thread only, no mutex).
    std::unordered_map<std::string, std::unordered_map<std::string, std::unique_ptr<page_window>>>
        windows_;
    std::thread fan_out_thread_;  // last: started once everything above is built
};

}  // namespace tribune::server

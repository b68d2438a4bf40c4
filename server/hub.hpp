#pragma once
// hub: the broadcast hub. Implements core's event_sink: each change is encoded once,
// numbered with the event's next sequence number, counted into the event's exact counts per
// state, kept in a bounded per-event history for resume, and handed to every session
// subscribed to that event as one shared immutable change_record.
//
// Counts per state are kept in memory so that no frame needs a database query: they are
// read once from the store when an event is first joined (store::count_by_status) and then
// moved by each change's `from` and `to`. A change committed but not yet announced at that
// very moment would be counted twice; seed_counts() at start-up, before any request is
// served, closes that window.
//
// Thread safety: one mutex guards all state. question_changed() only posts records onto the
// sessions' strands (websocket_session::deliver) under it, which never blocks and keeps every
// session's records in sequence order. join() is called by a session on its own strand and
// returns the current position synchronously; records after that position reach the session
// afterwards.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event_sink.hpp"
#include "core/store.hpp"
#include "server/change_record.hpp"

namespace tribune::server {

class websocket_session;

class hub final : public event_sink {
public:
    explicit hub(std::size_t history_per_event);

    void question_changed(const question_change& change) override;

    // Where an event's stream stands for a joining session.
    struct position {
        std::uint64_t seq = 0;
        state_counts counts{};  // exact as of `seq` when `counted`
        bool counted = false;   // false only when the store could not be read
        // Set when since/epoch named a point this hub still has: the records after it.
        std::optional<std::vector<std::shared_ptr<const change_record>>> missed;
    };

    // Subscribes `s` to `event` (again: no effect) and returns the current position. When
    // `since`/`epoch` name a point still in the history, `missed` holds every record after
    // it. Records numbered after the returned seq are delivered to `s` afterwards, in order;
    // records up to it may also arrive (already posted) and are to be ignored by seq.
    // `db` seeds the event's counts on its first join.
    position join(const std::string& event, const std::shared_ptr<websocket_session>& s,
                  std::optional<std::uint64_t> since, const std::string& epoch, store& db);
    void leave(const std::string& event, const websocket_session* s);

    // Reads every event's counts from `db` now. Call before serving requests for counts that
    // are exact from the start (see the header comment); without it events are seeded lazily.
    void seed_counts(store& db);

    // Closes the streams opened with this token (it was revoked).
    void revoke(std::int64_t token_id);
    // The distinct tokens of the open streams.
    std::vector<std::int64_t> token_ids() const;

    // Closes every session with "going away" (shutdown).
    void close_all();

    std::size_t client_count() const;
    // Identifies this server run; sequence numbers restart with each run.
    const std::string& epoch() const { return epoch_; }

private:
    struct channel {
        std::uint64_t seq = 0;
        bool counted = false;
        std::uint64_t counted_from = 0;  // seq at which counting began
        state_counts counts{};
        std::deque<std::shared_ptr<const change_record>> history;
        std::unordered_map<const websocket_session*, std::weak_ptr<websocket_session>> sessions;
    };

    // REQUIRES: mutex_ held.
    channel& channel_for(const std::string& event);
    void seed(channel& ch, const std::string& event, store& db);

    const std::size_t history_limit_;
    const std::string epoch_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, channel> channels_;  // GUARDED_BY(mutex_)
    std::size_t clients_ = 0;                            // GUARDED_BY(mutex_)
    bool seeded_all_ = false;                            // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

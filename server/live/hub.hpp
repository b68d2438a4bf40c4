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
// Activity (docs/api.md "Live stream", view protocol): per event, the moderators online (the
// names of the admin and moderator tokens of its open streams, with their number of
// streams) and the questions created in the last minute (a fixed ring of one-second
// buckets, fed by question_changed). A change of the moderators is published at once to the
// event's view sessions; tick_activity() publishes the arrivals when they changed since the
// event's last publication. Each publication is one shared activity_record.
//
// Thread safety: one mutex guards all state. question_changed() and the activity
// publications only post records onto the sessions' strands (websocket_session::deliver,
// deliver_activity) under it, which never blocks and keeps every session's records in
// order. Sessions locked from their weak references are released only after the mutex:
// releasing the last reference runs the session's destructor, which calls leave(). join()
// and attend() are called by a session on its own strand; join() returns the current
// position synchronously and records after that position reach the session afterwards.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/service/event_sink.hpp"
#include "core/store/store.hpp"
#include "server/live/activity_record.hpp"
#include "server/live/arrival_counter.hpp"
#include "server/live/change_record.hpp"

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
    // Registers `s` with `event` (again: no effect) without subscribing it to a position:
    // a view-protocol socket before its first subscribe. It is counted as a client, listed
    // among the moderators online when its token is, closed by revoke() and close_all();
    // records reach it (it ignores them until it has a view).
    void attend(const std::string& event, const std::shared_ptr<websocket_session>& s);
    // Unregisters `s` (no effect when it is not registered). Called by its destructor.
    void leave(const std::string& event, const websocket_session* s);

    // The event's current activity message, for a session that has just subscribed with
    // activity. Built anew only when something in it changed.
    std::shared_ptr<const activity_record> activity(const std::string& event);
    // Publishes the activity of every event whose activity (in practice: the arrivals per
    // minute) changed since its last publication, to its view sessions. Called periodically
    // (config::activity_interval).
    void tick_activity();

    // Reads every event's counts from `db` now. Call before serving requests for counts that
    // are exact from the start (see the header comment); without it events are seeded lazily.
    void seed_counts(store& db);

    // Closes the streams opened with this token (it was revoked); they leave the moderators
    // online at once, before their close handshakes end.
    void revoke(std::int64_t token_id);
    // The distinct tokens of the open streams.
    std::vector<std::int64_t> token_ids() const;

    // Closes every session with "going away" (shutdown). No activity is published after it.
    void close_all();

    std::size_t client_count() const;
    // Identifies this server run; sequence numbers restart with each run.
    const std::string& epoch() const { return epoch_; }

private:
    using clock = arrival_counter::clock;
    using session_list = std::vector<std::shared_ptr<websocket_session>>;

    // A registered session.
    struct member {
        std::weak_ptr<websocket_session> session;
        std::string listed_as;  // its token's name among the moderators online; empty: not listed
        bool admin = false;     // its token's role, when listed
        bool view = false;      // view protocol: receives activity records
    };
    // Open streams of one listed name, by token role.
    struct presence {
        std::uint64_t admins = 0;
        std::uint64_t moderators = 0;
    };
    struct channel {
        std::uint64_t seq = 0;
        bool counted = false;
        std::uint64_t counted_from = 0;  // seq at which counting began
        state_counts counts{};
        std::deque<std::shared_ptr<const change_record>> history;
        std::unordered_map<const websocket_session*, member> sessions;
        // Activity.
        std::map<std::string, presence> online;  // by name, so the list comes out sorted
        bool online_changed = true;              // since `activity` was built
        arrival_counter arrivals;
        std::shared_ptr<const activity_record> activity;  // the newest built
        std::uint64_t published_version = 0;  // of the last record published to the sessions
        std::size_t views = 0;                // members with `view`
    };

    // REQUIRES: mutex_ held (all of these).
    channel& channel_for(const std::string& event);
    void seed(channel& ch, const std::string& event, store& db);
    // Registers `s`; true when the moderators online changed.
    bool add_member(channel& ch, const std::shared_ptr<websocket_session>& s);
    // Takes `m` off the moderators online; true when it was listed.
    static bool unlist(channel& ch, member& m);
    std::shared_ptr<const activity_record> current_activity(channel& ch, const std::string& event,
                                                            clock::time_point now);
    // Posts the current activity to every view session of `ch`, unless it is the one last
    // posted; the sessions locked to do so go into `alive`, for the caller to release after
    // the mutex.
    void publish_activity(channel& ch, const std::string& event, clock::time_point now,
                          session_list& alive);

    const std::size_t history_limit_;
    const std::string epoch_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, channel> channels_;  // GUARDED_BY(mutex_)
    std::uint64_t activity_version_ = 0;                 // GUARDED_BY(mutex_)
    std::size_t clients_ = 0;                            // GUARDED_BY(mutex_)
    bool seeded_all_ = false;                            // GUARDED_BY(mutex_)
    bool closed_ = false;                                // GUARDED_BY(mutex_); close_all() ran
};

}  // namespace tribune::server

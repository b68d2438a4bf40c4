#pragma once
// presence: who is connected to each event's live stream, and the activity message the view
// protocol shows (docs/api.md "Live stream", activity): the moderators online (the names of
// the admin and moderator tokens of the event's open streams, with their number of streams)
// and the questions created in the last minute (a fixed ring of one-second buckets).
// Every open stream is registered here from its handshake to its destructor, so presence
// also counts the open streams, closes those of a revoked token, and closes them all at
// shutdown.
//
// A change of the moderators is published at once to the event's view streams; tick()
// publishes the arrivals when they changed since the event's last publication. Each
// publication is one shared activity_record.
//
// Several instances on one database: each tells the others what it lists (local_listing(),
// sent by the app through the change source every heartbeat and whenever it changes), and
// lists their names beside its own (remote_listing()); an instance not heard from within the
// remote TTL (three heartbeats) leaves the list, so one killed without a word is gone then.
//
// Thread safety: one mutex guards all state; presence never calls into the hub. Activity is
// only posted onto the streams' strands under it (stream_subscriber::deliver_activity).
// Subscribers locked from their weak references are released only after the mutex:
// releasing the last reference runs the session's destructor, which calls close().

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/live/activity_record.hpp"
#include "server/live/arrival_counter.hpp"
#include "server/live/stream_subscriber.hpp"

namespace tribune::server {

class presence {
  public:
    presence();

    // A stream opened on `event` (again: no effect). Publishes when the moderators changed.
    void open(const std::string& event, const std::shared_ptr<stream_subscriber>& s);
    // The stream closed (no effect when it is not registered). Called by its destructor.
    void close(const std::string& event, const stream_subscriber* s);
    // A question was created in `event`.
    void arrived(const std::string& event);

    // The event's current activity message, for a stream that has just asked for it. Built
    // anew only when something in it changed.
    std::shared_ptr<const activity_record> activity(const std::string& event);
    // Publishes the activity of every event whose activity (in practice: the arrivals per
    // minute) changed since its last publication. Called periodically
    // (config::activity_interval).
    void tick();

    // Closes the streams opened with this token (it was revoked); they leave the moderators
    // online at once, before their close handshakes end.
    void revoke(std::int64_t token_id);
    // Closes with "going away" the event's streams whose token is neither an admin's nor a
    // moderator's (executives, displays, public displays): what they may see depends on the
    // event's settings, which changed; they reconnect and see through the new ones.
    void close_settings_dependent(const std::string& event);
    // The distinct tokens of the open streams.
    std::vector<std::int64_t> token_ids() const;
    // This instance's name among the instances of a shared database (random, per run).
    const std::string& instance() const { return instance_; }
    // What this instance lists, for the other instances: one line per event and name,
    // "event\tname\tadmins\tmoderators\n", sorted, cut at a line end before `max_bytes`.
    std::string local_listing(std::size_t max_bytes) const;
    // Moves whenever local_listing() would change.
    std::uint64_t local_version() const;
    // Another instance's listing, in local_listing()'s format, replacing what it said before
    // (empty: it lists nobody). Malformed lines are skipped. Publishes at once to the events
    // whose list changed.
    void remote_listing(const std::string& instance, const std::string& listing);
    // How long another instance's listing counts without being repeated (default 15 s).
    void set_remote_ttl(std::chrono::steady_clock::duration ttl);

    // Closes every stream with "going away" (shutdown). No activity is published after it.
    void close_all();
    // Open streams.
    std::size_t client_count() const;

  private:
    using clock = arrival_counter::clock;
    using subscriber_list = std::vector<std::shared_ptr<stream_subscriber>>;

    struct member {
        std::weak_ptr<stream_subscriber> stream;
        std::string listed_as;  // its token's name among the moderators online; empty: not listed
        bool admin = false;     // its token's role, when listed
        bool view = false;      // receives activity records
    };
    // Open streams of one listed name, by token role.
    struct online_count {
        std::uint64_t admins = 0;
        std::uint64_t moderators = 0;
        bool operator==(const online_count&) const = default;
    };
    // What another instance lists, by event and name.
    struct remote_instance {
        clock::time_point heard;
        std::map<std::string, std::map<std::string, online_count>> events;
    };
    struct channel {
        std::unordered_map<const stream_subscriber*, member> members;
        std::map<std::string, online_count> online;  // by name, so the list comes out sorted
        bool online_changed = true;                  // since `activity` was built
        arrival_counter arrivals;
        std::shared_ptr<const activity_record> activity;  // the newest built
        std::uint64_t published_version = 0;  // of the last record published to the streams
        std::size_t views = 0;                // members with `view`
    };

    // REQUIRES: mutex_ held (all of these).
    // Takes `m` off the moderators online; true when it was listed.
    static bool unlist(channel& ch, member& m);
    // Drops the remote instances not heard from within remote_ttl_, marking their events'
    // lists changed.
    void expire_remote(clock::time_point now);
    std::shared_ptr<const activity_record> current_activity(channel& ch, const std::string& event,
                                                            clock::time_point now);
    // Posts the current activity to every view stream of `ch`, unless it is the one last
    // posted; the streams locked to do so go into `alive`, for the caller to release after
    // the mutex.
    void publish(channel& ch, const std::string& event, clock::time_point now,
                 subscriber_list& alive);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, channel> channels_;  // GUARDED_BY(mutex_)
    std::uint64_t activity_version_ = 0;                 // GUARDED_BY(mutex_)
    std::uint64_t listing_version_ = 0;                  // GUARDED_BY(mutex_)
    std::map<std::string, remote_instance> remote_;     // GUARDED_BY(mutex_); by instance
    clock::duration remote_ttl_ = std::chrono::seconds(15);  // GUARDED_BY(mutex_)
    const std::string instance_;
    std::size_t clients_ = 0;                            // GUARDED_BY(mutex_)
    bool closed_ = false;                                // GUARDED_BY(mutex_); close_all() ran
};

}  // namespace tribune::server

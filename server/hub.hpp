#pragma once
// hub: the broadcast hub. Implements core's event_sink: each change is encoded once into a
// shared immutable string, numbered with the event's next sequence number, kept in a
// bounded per-event history for resume, and handed to every session subscribed to that
// event.
//
// Thread safety: one mutex guards all state. question_changed() and join() call
// websocket_session::send/send_snapshot under that mutex; both only post onto the session's
// strand and never block, which is what keeps every client's messages in sequence order.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/event_sink.hpp"

namespace tribune::server {

class websocket_session;

class hub final : public event_sink {
public:
    explicit hub(std::size_t history_per_event);

    void question_changed(const question_change& change) override;

    // Subscribes `s` to `event`. When `since`/`epoch` name a point this hub still has in its
    // history, the messages after it are sent; otherwise the session is told to send a fresh
    // snapshot as of the current sequence number.
    void join(const std::string& event, const std::shared_ptr<websocket_session>& s,
              std::optional<std::uint64_t> since, const std::string& epoch);
    void leave(const std::string& event, const websocket_session* s);

    // Closes every session with "going away" (shutdown).
    void close_all();

    std::size_t client_count() const;
    // Identifies this server run; sequence numbers restart with each run.
    const std::string& epoch() const { return epoch_; }

private:
    struct channel {
        std::uint64_t seq = 0;
        std::deque<std::pair<std::uint64_t, std::shared_ptr<const std::string>>> history;
        std::unordered_map<const websocket_session*, std::weak_ptr<websocket_session>> sessions;
    };

    const std::size_t history_limit_;
    const std::string epoch_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, channel> channels_;  // GUARDED_BY(mutex_)
    std::size_t clients_ = 0;                            // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

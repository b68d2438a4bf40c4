#pragma once
// stream_subscriber: one open live stream as the hub (fan-out) and presence (who is online)
// see it. The websocket_session implements it; the hub and presence hold it by weak_ptr, so
// a closed stream simply disappears.
//
// Thread safety: identity() and receives_activity() are fixed at construction and may be
// read from any thread. The other members may be called from any thread and must not block:
// they hand the work to the stream's own strand.

#include <cstdint>
#include <memory>
#include <string>

#include "core/domain/role.hpp"
#include "server/live/activity_record.hpp"
#include "server/live/change_batch.hpp"

namespace tribune::server {

// The access token a stream was opened with.
struct stream_identity {
    std::int64_t token_id = 0;  // 0: none
    std::string name;
    role r = role::audience;
};

class stream_subscriber {
  public:
    virtual ~stream_subscriber() = default;

    virtual const stream_identity& identity() const = 0;
    // True for the view protocol, whose clients may ask for activity messages.
    virtual bool receives_activity() const = 0;

    // The event's next changes, in order. Bounded: when too many deliveries wait on the
    // stream's strand, later ones are dropped and the protocol told (stream_protocol::on_gap).
    virtual void deliver(delivery d) = 0;
    // The event's newest activity message.
    virtual void deliver_activity(std::shared_ptr<const activity_record> a) = 0;
    // Closes with 1001 (going away): the server stops.
    virtual void close_going_away() = 0;
    // Closes with 1008 (policy violation): the stream's token was revoked.
    virtual void close_revoked() = 0;
};

}  // namespace tribune::server

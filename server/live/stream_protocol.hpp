#pragma once
// stream_protocol and stream_transport: the live stream split in two. The transport
// (websocket_session) reads and writes one WebSocket — one write in flight, a bounded send
// queue, timeouts — and knows nothing of what the messages mean. A protocol
// (per_change_protocol, view_protocol) decides what to send: it joins the hub, answers the
// client's messages, and turns the hub's changes into messages.
//
// Thread safety: a protocol is owned by one session and every call into it, and every call
// it makes on its transport, happens on that session's strand.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "server/live/activity_record.hpp"
#include "server/live/change_batch.hpp"
#include "server/live/change_record.hpp"
#include "server/live/stream_subscriber.hpp"

namespace tribune::server {

// What a protocol may do with its connection. Only on the session's strand.
class stream_transport {
  public:
    using clock = std::chrono::steady_clock;

    virtual ~stream_transport() = default;
    // Queues a message. Beyond the protocol's queue_limit() the client is disconnected
    // instead (it reconnects and resumes); after the connection started closing, ignored.
    virtual void send(std::shared_ptr<const std::string> message) = 0;
    // True when nothing is queued or being written.
    virtual bool idle() const = 0;
    // How long the write in flight has been going (zero when idle).
    virtual clock::duration write_age() const = 0;
    // True once the connection is closing or closed: nothing more will be written.
    virtual bool closing() const = 0;
    // Cuts the connection at once (a client too slow, or a failure).
    virtual void drop() = 0;
    // Calls the protocol's on_timer() at `when` (one pending wake-up; a later call replaces
    // it). Not called when the connection closes first.
    virtual void wake_at(clock::time_point when) = 0;
    // The stream as the hub and presence hold it.
    virtual std::shared_ptr<stream_subscriber> subscriber() = 0;
};

class stream_protocol {
  public:
    virtual ~stream_protocol() = default;

    // Read once, before the handshake: the transport's send queue cap (messages) and, when
    // set, the socket's kernel send buffer (bytes).
    virtual std::size_t queue_limit() const = 0;
    virtual std::optional<int> send_buffer_bytes() const { return std::nullopt; }
    // True for the protocol whose clients may ask for activity messages.
    virtual bool receives_activity() const { return false; }

    // The handshake completed. `t` outlives the protocol.
    virtual void on_open(stream_transport& t) = 0;
    // A text message from the client (not called once closing).
    virtual void on_message(const std::string& text) = 0;
    // The hub's next change (not called once closing).
    virtual void on_record(std::shared_ptr<const change_record> r) = 0;
    // The hub's next batch of changes (not called once closing). By default each record in
    // turn to on_record().
    virtual void on_batch(const delivery& d) {
        for (const auto& r : d.batch->records) on_record(r);
    }
    // Batches were dropped because the session had too many waiting on its strand: what the
    // client has is no longer contiguous. event_protocol cuts the connection (the client
    // reconnects and resumes from the hub's history); view_protocol sends a fresh snapshot.
    virtual void on_gap() = 0;
    // Presence's newest activity message (not called once closing).
    virtual void on_activity(std::shared_ptr<const activity_record>) {}
    // Everything queued has been written.
    virtual void on_drained() {}
    // The wake-up asked for with wake_at().
    virtual void on_timer() {}
};

}  // namespace tribune::server

#pragma once
// view_protocol: the live stream's view protocol, the one the dashboard speaks (docs/api.md
// "Live stream", view protocol): the client subscribes to a view (states, filters, sort)
// and gets its first page, then frames — every change that concerns the view, coalesced at
// most once per frame_interval, each with the event's exact counts per state. Subscribing
// again replaces the view. A subscribe may ask for activity messages (moderators online,
// arrivals per minute) and for the executives' shortlist (in the snapshot and the frames).
// An executive's stream sees through its lens (stream_lens.hpp): its views are held to
// approved and answered questions.
//
// Changes arrive from the hub once per tick, already encoded for the view (shared by every
// session with the same view): a client reading along sends the hub's frame as it is.
//
// Back-pressure: at most one frame is in flight; changes wait in the subscription. A client
// that subscribed with "ack" gets no frame while its last snapshot or frame is unacknowledged:
// its pace, not the kernel's socket buffers, sets how many frames it gets, and a page view
// then sends the newest page (latest wins), never a backlog. One unacknowledged for
// stall_timeout is cut. When
// more than ws_send_queue_limit wait behind an unfinished write they are dropped and the
// client gets a fresh snapshot once its socket drains (so too when the hub dropped batches
// for this session: on_gap); a socket that has not drained for
// stall_timeout is cut. A slow client never slows ingest or other clients. Activity: at
// most one message waits, a newer one replacing it; it is written only when nothing else is
// queued, so it never waits behind itself nor holds frames back by more than one small write.
//
// Thread safety: on its session's strand only (stream_protocol).
// Ownership: borrows presence too (event_protocol); it outlives every session.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/service/shortlist_service.hpp"
#include "server/live/event_protocol.hpp"
#include "server/live/presence.hpp"
#include "server/live/stream_lens.hpp"
#include "server/live/view_subscription.hpp"

namespace tribune::server {

struct subscribe_request;

class view_protocol final : public event_protocol {
  public:
    // At most this many frames per second per client.
    static constexpr std::chrono::milliseconds frame_interval{100};
    // A socket whose write has not completed for this long is cut.
    static constexpr std::chrono::seconds stall_timeout{30};

    // `since`/`epoch` from the URL resume the first subscription when it names none. `lens`:
    // what the stream's token may see; `shortlist` reads the shortlist for a snapshot.
    view_protocol(hub& h, presence& p, moderation_query& query, shortlist_service& shortlist,
                  const config& cfg, std::string event, std::optional<std::uint64_t> since,
                  std::string epoch, stream_lens lens);
    std::size_t queue_limit() const override;
    std::optional<int> send_buffer_bytes() const override;
    bool receives_activity() const override { return true; }

    // Nothing is sent before the client's subscribe message (on_open: event_protocol's).
    void on_message(const std::string& text) override;
    void on_record(std::shared_ptr<const change_record> r) override;
    void on_batch(const delivery& d) override;
    void on_gap() override;
    void on_activity(std::shared_ptr<const activity_record> a) override;
    void on_drained() override;
    void on_timer() override;

  private:
    using clock = std::chrono::steady_clock;

    void subscribe(subscribe_request req);
    // The client applied everything up to `seq`.
    void on_ack(std::uint64_t seq);
    // A snapshot or frame that brings the client to `seq` was sent.
    void sent_view_message(std::uint64_t seq);
    // After the view took changes: falls back to a snapshot when too far behind, and
    // schedules the frame.
    void taken();
    // Forgets what is pending and sends a fresh snapshot once the socket drains.
    void start_resync();
    void send(std::string message);
    void send_snapshot();
    void schedule_frame();
    void flush();
    void want_activity(bool on);
    void offer_activity(std::shared_ptr<const activity_record> a);
    void write_activity();

    presence& presence_;
    shortlist_service& shortlist_;
    const stream_lens lens_;
    std::optional<view_subscription> view_;
    bool subscribed_once_ = false;
    bool resync_ = false;  // fell behind: the next thing to send is a fresh snapshot
    bool timer_armed_ = false;
    clock::time_point last_frame_at_{};
    bool ack_ = false;                       // the subscription acknowledges what it applies
    std::optional<std::uint64_t> unacked_;   // seq of the message sent and not acknowledged
    clock::time_point unacked_since_{};

    bool activity_wanted_ = false;        // the last subscribe asked for it
    std::uint64_t activity_version_ = 0;  // of the newest record accepted; older ones are stale
    std::shared_ptr<const activity_record> activity_pending_;  // at most one, unsent
};

}  // namespace tribune::server

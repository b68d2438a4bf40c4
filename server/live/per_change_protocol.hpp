#pragma once
// per_change_protocol: the live stream's simpler protocol (docs/api.md "Live stream",
// per-change protocol): a snapshot of the review queue, then every change of the event as
// its own message, in seq order; a client that reconnects with since/epoch receives exactly
// what it missed. The dashboard uses the view protocol; this one serves tools that want
// every change of an event (bridges, exporters, audit mirrors).
//
// Back-pressure: the transport's queue holds at most ws_send_queue_limit messages; a client
// further behind is disconnected and resumes with since.
//
// Thread safety: on its session's strand only (stream_protocol).

#include <cstdint>
#include <memory>
#include <string>

#include "server/live/event_protocol.hpp"

namespace tribune::server {

class per_change_protocol final : public event_protocol {
  public:
    using event_protocol::event_protocol;

    std::size_t queue_limit() const override { return cfg_.ws_send_queue_limit; }
    // Joins the hub at the URL's resume point: the missed changes, else a snapshot.
    void on_open(stream_transport& t) override;
    // Client messages carry nothing the server needs (pings keep the connection warm).
    void on_message(const std::string&) override {}
    void on_record(std::shared_ptr<const change_record> r) override;

  private:
    void send_snapshot(std::uint64_t seq);
    void send_record(std::shared_ptr<const change_record> r);

    std::uint64_t seq_ = 0;  // the last seq queued
};

}  // namespace tribune::server

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
// Ownership: borrows the hub, the query and the config; all outlive every session.

#include <cstdint>
#include <optional>
#include <string>

#include "core/service/moderation_query.hpp"
#include "server/app/config.hpp"
#include "server/live/hub.hpp"
#include "server/live/stream_protocol.hpp"

namespace tribune::server {

class per_change_protocol final : public stream_protocol {
  public:
    per_change_protocol(hub& h, moderation_query& query, const config& cfg, std::string event,
                        std::optional<std::uint64_t> since, std::string epoch);
    ~per_change_protocol() override;  // leaves the hub

    std::size_t queue_limit() const override { return cfg_.ws_send_queue_limit; }
    void on_open(stream_transport& t) override;
    // Client messages carry nothing the server needs (pings keep the connection warm).
    void on_message(const std::string&) override {}
    void on_record(std::shared_ptr<const change_record> r) override;

  private:
    void send_snapshot(std::uint64_t seq);
    void send_record(std::shared_ptr<const change_record> r);

    hub& hub_;
    moderation_query& query_;
    const config& cfg_;
    const std::string event_;
    const std::optional<std::uint64_t> since_;
    const std::string epoch_;
    stream_transport* transport_ = nullptr;
    const stream_subscriber* joined_ = nullptr;  // as the hub knows it, once joined
    std::uint64_t seq_ = 0;                      // the last seq queued
};

}  // namespace tribune::server

#pragma once
// event_protocol: what both live-stream protocols share — the event they stream, the
// resume point the URL gave (since/epoch), the transport once open, and their place in the
// hub: join() subscribes the session to the event's changes, and the destructor takes it
// off again.
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

class event_protocol : public stream_protocol {
  public:
    event_protocol(hub& h, moderation_query& query, const config& cfg, std::string event,
                   std::optional<std::uint64_t> since, std::string epoch);
    ~event_protocol() override;  // leaves the hub

    void on_open(stream_transport& t) override { transport_ = &t; }
    // Batches were dropped: cut the connection; the client resumes from the hub's history.
    void on_gap() override { transport_->drop(); }

  protected:
    // Joins the session to the event (again: no effect) at the resume point given; see
    // hub::join. REQUIRES: open.
    // `spec`: the view the session shows, so the hub encodes its frames once per view.
    hub::position join(std::optional<std::uint64_t> since, const std::string& epoch,
                       std::shared_ptr<const view_spec> spec = nullptr);

    hub& hub_;
    moderation_query& query_;
    const config& cfg_;
    const std::string event_;
    const std::optional<std::uint64_t> since_;  // from the URL
    const std::string epoch_;                   // from the URL
    stream_transport* transport_ = nullptr;     // set by on_open()

  private:
    const stream_subscriber* joined_ = nullptr;  // as the hub knows it, once joined
};

}  // namespace tribune::server

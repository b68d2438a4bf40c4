#pragma once
// live_feed: core's event_sink for the live stream. Each change (of a question or of the
// shortlist) goes to the hub, which numbers it and fans it out; each new question also goes
// to presence, which counts the arrivals per minute.
//
// Thread safety: as event_sink requires — any thread; never blocks for long (the hub and
// presence only post onto the streams' strands).
// Ownership: borrows the hub and presence; both outlive it.

#include "core/service/event_sink.hpp"
#include "server/live/hub.hpp"
#include "server/live/presence.hpp"

namespace tribune::server {

class live_feed final : public event_sink {
  public:
    live_feed(hub& h, presence& p) : hub_(h), presence_(p) {}

    void question_changed(const question_change& change) override {
        hub_.publish(change);
        if (change.kind == change_kind::created) presence_.arrived(change.q.event);
    }
    void shortlist_changed(const shortlist_change& change) override { hub_.publish(change); }

  private:
    hub& hub_;
    presence& presence_;
};

}  // namespace tribune::server

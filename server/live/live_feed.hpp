#pragma once
// live_feed: core's event_sink for the live stream. Each change (of a question or of the
// shortlist) goes to the hub, which numbers it and fans it out; each new question also goes
// to presence, which counts the arrivals per minute.
//
// With a change_source (a database several instances share) the live_feed has it as its
// relay: question changes are dropped — the source delivers every committed change, numbered,
// to numbered_feed — and shortlist changes are handed to the source to be numbered and
// delivered the same way.
//
// Thread safety: as event_sink requires — any thread; never blocks for long (the hub and
// presence only post onto the streams' strands; the relay writes one row).
// Ownership: borrows the hub, presence and the relay; all outlive it.

#include "core/service/event_sink.hpp"
#include "core/store/change_source.hpp"
#include "server/live/hub.hpp"
#include "server/live/presence.hpp"

namespace tribune::server {

class live_feed final : public event_sink {
  public:
    live_feed(hub& h, presence& p, change_source* relay = nullptr)
        : hub_(h), presence_(p), relay_(relay) {}

    void question_changed(const question_change& change) override {
        if (relay_ != nullptr) return;
        hub_.publish(change);
        if (change.kind == change_kind::created) presence_.arrived(change.q.event);
    }
    void questions_changed(const std::vector<question_change>& changes) override {
        if (relay_ != nullptr) return;
        for (const auto& c : changes) question_changed(c);
    }
    void shortlist_changed(const shortlist_change& change) override {
        // Not announced: the shortlist is stored; streams see it with its next change or a
        // snapshot.
        if (relay_ != nullptr) (void)relay_->announce(change);
        else hub_.publish(change);
    }

  private:
    hub& hub_;
    presence& presence_;
    change_source* relay_;
};

}  // namespace tribune::server

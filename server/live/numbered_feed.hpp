#pragma once
// numbered_feed: what a change_source delivers to (several instances on one database): every
// committed change, this instance's own included, with the number the database gave it, to
// the hub, which fans it out under that number; each new question also goes to presence,
// which counts the arrivals per minute (so they count every instance's arrivals).
//
// Thread safety: called from the change source's thread; never blocks for long (the hub and
// presence only post onto the streams' strands).
// Ownership: borrows the hub and presence; both outlive it.

#include "core/store/change_source.hpp"
#include "server/live/hub.hpp"
#include "server/live/presence.hpp"

namespace tribune::server {

class numbered_feed final : public numbered_sink {
  public:
    numbered_feed(hub& h, presence& p) : hub_(h), presence_(p) {}

    void question_changed(const question_change& change, std::uint64_t seq) override {
        hub_.publish(change, seq);
        if (change.kind == change_kind::created) presence_.arrived(change.q.event);
    }
    void shortlist_changed(const shortlist_change& change, std::uint64_t seq) override {
        hub_.publish(change, seq);
    }

  private:
    hub& hub_;
    presence& presence_;
};

}  // namespace tribune::server

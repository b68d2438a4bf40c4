#pragma once
// numbered_feed: what a change_source delivers to (several instances on one database): every
// committed change, this instance's own included, with the number the database gave it, to
// the hub, which fans it out under that number; each new question also goes to presence,
// which counts the arrivals per minute (so they count every instance's arrivals); and the
// other instances' presence listings, to presence.
//
// Thread safety: called from the change source's thread. The hub and presence only post onto
// the streams' strands; absorbing waits for the batch being committed (group_commit's mutex)
// and reads one row for another instance's new question or a moderator's move.
// Ownership: borrows the hub, presence and the service; all outlive it.

#include "core/service/question_service.hpp"
#include "core/store/change_source.hpp"
#include "server/live/hub.hpp"
#include "server/live/presence.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

class numbered_feed final : public numbered_sink {
  public:
    numbered_feed(hub& h, presence& p, question_service& s) : hub_(h), presence_(p), service_(s) {}

    void question_changed(const question_change& change, std::uint64_t seq) override {
        if (status st = service_.absorb(change, seq); !st)
            log_line("near-duplicate index: change of question " + std::to_string(change.q.id) +
                     " not absorbed: " + st.message());
        hub_.publish(change, seq);
        if (change.kind == change_kind::created) presence_.arrived(change.q.event);
    }
    void shortlist_changed(const shortlist_change& change, std::uint64_t seq) override {
        hub_.publish(change, seq);
    }
    // "instance|listing" from an instance's presence (app: share_presence); this one's own
    // come back too and are skipped.
    void presence_announced(const std::string& message) override {
        const auto bar = message.find('|');
        if (bar == std::string::npos || bar == 0) return;
        if (std::string_view(message).substr(0, bar) == presence_.instance()) return;
        presence_.remote_listing(message.substr(0, bar), message.substr(bar + 1));
    }

  private:
    hub& hub_;
    presence& presence_;
    question_service& service_;
};

}  // namespace tribune::server

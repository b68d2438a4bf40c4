#pragma once
// view_subscription: one subscriber's view of an event's change stream. It takes the
// event's numbered changes in order, keeps those that concern the view — a question that is
// in it after the change ("upsert") or was in it before ("remove") — and turns everything
// gathered since the last frame into one frame: the kept changes, the event's exact counts
// per state and the sequence number the frame brings the client to.
//
// A question is "in the view" when tribune::matches(view.filter, question) holds. A change
// alters only the state (or the vote count, which no filter reads), so whether the question
// was in the view before is the same test with the state it came from. A subscription that
// asked for the shortlist also keeps its changes — only the newest of those pending, since
// each carries the whole shortlist. Entries are encoded for the stream's lens.
//
// Thread safety: none; owned and used by one websocket_session on its strand.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/live/change_record.hpp"
#include "server/live/stream_lens.hpp"
#include "server/live/stream_view.hpp"

namespace tribune::server {

class view_subscription {
public:
    view_subscription(stream_view view, std::int64_t id, bool shortlist, stream_lens lens);

    const stream_view& view() const { return view_; }
    std::int64_t id() const { return id_; }
    bool shortlist() const { return shortlist_; }
    std::uint64_t seq() const { return seq_; }
    const state_counts& counts() const { return counts_; }

    // Starts over at `seq` with `counts` (the point a snapshot shows); drops what is pending.
    void reset(std::uint64_t seq, const state_counts& counts);

    // Takes the next change. A record at or below seq() is one the client already has and
    // is ignored (returns false); otherwise seq() and counts() advance and true is returned.
    // REQUIRES: records arrive in increasing seq order.
    bool add(const std::shared_ptr<const change_record>& r);

    // True when a frame is due: changes or counts moved since the last frame.
    bool frame_due() const { return seq_ != frame_base_; }
    // Changes kept for the next frame.
    std::size_t pending() const { return pending_.size(); }
    // The frame of everything since the last one; afterwards frame_due() is false.
    // REQUIRES: frame_due().
    std::string take_frame();

    // Whether the change concerns the view: empty when it does not, else whether the question
    // is in the view after it.
    std::optional<bool> concerns(const question_change& c) const;

private:
    struct entry {
        std::shared_ptr<const change_record> record;
        bool in_view = false;
    };

    bool status_in_view(question_status s) const;

    stream_view view_;
    question_filter other_than_state_;  // view_.filter without its states
    std::int64_t id_;
    bool shortlist_;
    stream_lens lens_;
    std::uint64_t seq_ = 0;         // last change taken
    std::uint64_t frame_base_ = 0;  // seq the client has after the last frame or snapshot
    state_counts counts_{};
    std::vector<entry> pending_;
};

}  // namespace tribune::server

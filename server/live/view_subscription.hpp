#pragma once
// view_subscription: one subscriber's view of an event's change stream. It takes the
// event's numbered changes in order — one by one (a resume) or as the hub's batches — keeps
// the entries that concern the view (view_spec: a question that is in it after the change,
// "upsert", or was in it before, "remove"; the newest shortlist when asked for) and turns
// everything gathered since the last frame into one frame: the kept changes, the event's
// exact counts per state and the sequence number the frame brings the client to.
//
// Shared frames: when everything pending is exactly one batch as the hub encoded it for this
// view (view_batch) and the client stands right before it, take_frame() returns that shared
// frame, byte for byte what the entries would give, without encoding anything.
//
// Thread safety: none; owned and used by one websocket_session on its strand.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/live/change_batch.hpp"
#include "server/live/change_record.hpp"
#include "server/live/view_spec.hpp"

namespace tribune::server {

class view_subscription {
public:
    explicit view_subscription(std::shared_ptr<const view_spec> spec);

    const std::shared_ptr<const view_spec>& spec() const { return spec_; }
    const stream_view& view() const { return spec_->view(); }
    std::int64_t id() const { return spec_->id(); }
    bool shortlist() const { return spec_->shortlist(); }
    std::uint64_t seq() const { return seq_; }
    const state_counts& counts() const { return counts_; }

    // Starts over at `seq` with `counts` (the point a snapshot shows); drops what is pending.
    void reset(std::uint64_t seq, const state_counts& counts);

    // Takes the next change. A record at or below seq() is one the client already has and
    // is ignored (returns false); otherwise seq() and counts() advance and true is returned.
    // REQUIRES: records arrive in increasing seq order.
    bool add(const std::shared_ptr<const change_record>& r);

    // How a batch relates to seq(): already had, the next one, overlapping (some records
    // already had), or after a gap (records between are missing).
    enum class fit { old, next, overlap, gap };
    fit fit_of(const change_batch& b) const;
    // Takes a batch. REQUIRES: fit_of(*v.batch) == next, v encoded for spec().
    void add(std::shared_ptr<const view_batch> v);
    // Takes a page view's batch (spec()->pages()). The next frame is the hub's shared one
    // when the client's page is the hub's page before it (it took the previous page frame)
    // and nothing else is pending; otherwise it carries the page after the newest batch
    // taken, less the questions the client's own page already shows at the same version (the
    // page of its last frame or snapshot: a client holds every question it was sent), so a
    // client that skipped batches needs nothing of them (what waits is one batch, whatever
    // the backlog). REQUIRES: v->page, fit_of(*v->batch) is next or overlap.
    void add_page(std::shared_ptr<const view_batch> v);
    // The snapshot just sent shows `items` as the client's page. Page views only.
    void took_snapshot(const std::vector<question>& items);

    // True when a frame is due: changes or counts moved since the last frame.
    bool frame_due() const { return seq_ != frame_base_; }
    // Changes kept for the next frame, and the bytes of their entries.
    std::size_t pending() const { return pending_.size(); }
    std::size_t pending_bytes() const { return pending_bytes_; }
    // The frame of everything since the last one; afterwards frame_due() is false. A page
    // view whose client has the hub's page of an earlier batch and took every batch since
    // gets the hub's shared frame for it (view_batch::catch_ups) when there is one.
    // REQUIRES: frame_due().
    std::shared_ptr<const std::string> take_frame();

    // The page frame that takes a client at `prev` whose page is `client_page` (ids and
    // versions) to the page after `v`: the entries of v.whole it does not hold at that
    // version, then `shortlist` when set, then the page's tail. REQUIRES: v.page, v.counted.
    static std::string page_frame(std::int64_t subscription, std::uint64_t prev, const view_batch& v,
                                  const std::vector<page_item>& client_page,
                                  const std::optional<frame_entry>& shortlist);

private:
    void keep(frame_entry e);

    std::shared_ptr<const view_spec> spec_;
    std::uint64_t seq_ = 0;         // last change taken
    std::uint64_t frame_base_ = 0;  // seq the client has after the last frame or snapshot
    state_counts counts_{};
    std::vector<frame_entry> pending_;
    std::size_t pending_bytes_ = 0;
    // Page views: the client has the hub's page as of seq_ (it took a page frame since the
    // last reset), and the newest batch when the next frame must carry the whole page.
    bool synced_ = false;
    std::shared_ptr<const view_batch> page_;
    std::optional<frame_entry> page_shortlist_;  // the newest since the last frame
    // Page views: the client's page after its last frame or snapshot (empty after a reset).
    std::vector<page_item> client_page_;
    // Set while pending_ is exactly this batch's entries from frame_base_ on.
    std::shared_ptr<const view_batch> whole_;
};

}  // namespace tribune::server

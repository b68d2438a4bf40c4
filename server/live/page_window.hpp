#pragma once
// page_window: one page view's first page, kept in memory by the hub's fan-out thread so
// that a frame carries only what changes the page (docs/api.md "Page frames") and every
// dashboard with that view shares its encoding.
//
// It holds the view's first 2 x limit questions in the view's order (the page and a reserve
// that refills it when questions leave), read from the database at the first batch and
// again whenever the reserve runs out; in between it follows the event's changes: a change
// that puts a question in the view at or above the window's last question enters it, one
// that takes a question out of the view leaves it. Questions are matched by id and
// `version`, so a read that already shows a later change is not undone by that change.
// Exact for orders a question's own members fix (newest, oldest). For an order that other
// questions' changes move (view_spec::reread_pages(): impact, where a question's place
// follows its group's members in review and heat), the window is instead read again from the
// database at every batch that changed a question, one read per tick for every dashboard
// with the view (the query is the list API's: ORDER BY over the event's questions in the
// view); a page entry is sent again when its group's numbers moved.
//
// Thread safety: none; used by the hub's fan-out thread only.
// Ownership: borrows the query; it outlives the hub.

#include <cstdint>
#include <deque>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "core/service/moderation_query.hpp"
#include "server/live/change_batch.hpp"
#include "server/live/view_spec.hpp"

namespace tribune::server {

class page_window {
  public:
    // REQUIRES: spec->pages().
    page_window(std::shared_ptr<const view_spec> spec, std::string event, moderation_query& query);

    // Moves the window over `b` and sets `out`'s page members (view_batch): the entries and
    // the tail of the page after `b`, and the entries that take the page before `b` to it
    // (out.entries, in that order: removals, then the page's new or changed questions).
    // When the database cannot be read the window keeps what it has (it is read again at the
    // next batch) and out.page stays false: the sessions resync.
    void advance(const change_batch& b, view_batch& out);

    // Sets out.catch_ups: for the hub's pages after the last max_catch_ups batches before
    // `b` (but b.prev, whose client gets out.frame), the frame a client holding that page
    // gets (view_subscription::page_frame, with the newest shortlist since); then remembers
    // the page after `b`. REQUIRES: out as advance(b, out) and the shortlist left it, out.page.
    void add_catch_ups(const change_batch& b, view_batch& out);

    static constexpr std::size_t max_catch_ups = 8;

  private:
    // The page after a recent batch, and the newest shortlist entry of the batches since.
    struct recent_page {
        std::uint64_t seq = 0;
        std::vector<page_item> versions;
        std::optional<frame_entry> shortlist;
    };
    struct item {
        question q;
        std::uint64_t seq = 0;                        // where it was last seen changing
        std::shared_ptr<const change_record> change;  // its change in the current batch
        std::shared_ptr<const std::string> whole;     // page_entry(), encoded once
    };

    // Reads the window from the database; false when it cannot be read.
    bool load(std::uint64_t seq);
    // Reads the window again after `b` (reread_pages()), when `b` changed a question; the
    // items the batch changed keep their change. `left`: as take(). False when the database
    // cannot be read.
    bool reread(const change_batch& b, std::vector<std::shared_ptr<const change_record>>& left);
    // Whether a client holding `a` shows `b` as it is (same version; in a reread view also
    // the same group numbers).
    bool same_shown(const question& a, const question& b) const;
    // Applies one question change. `left`: the changes that took a question out of the view.
    void take(const std::shared_ptr<const change_record>& r,
              std::vector<std::shared_ptr<const change_record>>& left);
    // A reread window holds one more than the page (whether the view goes on past it).
    std::size_t capacity() const { return spec_->reread_pages() ? spec_->view().limit + 1 : 2 * spec_->view().limit; }
    const std::shared_ptr<const std::string>& whole_entry(item& it);

    std::shared_ptr<const view_spec> spec_;
    std::string event_;
    moderation_query& query_;
    std::vector<item> items_;  // in the view's order
    bool loaded_ = false;
    std::uint64_t at_ = 0;     // the last seq of the last batch taken
    bool complete_ = false;    // items_ is the whole view
    std::deque<recent_page> recent_;  // newest first; pages of consecutive batches only
};

}  // namespace tribune::server

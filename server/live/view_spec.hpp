#pragma once
// view_spec: what one view-protocol subscription asks for — the view (filter, order, first
// page size), the client's subscription id, whether it wants the shortlist, and the lens of
// its stream — and which of an event's changes concern it. Two subscriptions with the same
// key() see the same changes encoded the same way, so the hub encodes their frames once
// (view_batch) and every such session sends the same bytes.
//
// Thread safety: immutable once built; shared between the session's strand and the hub's
// fan-out thread as shared_ptr<const view_spec>.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/domain/question_filter.hpp"
#include "core/service/event_sink.hpp"
#include "server/live/change_batch.hpp"
#include "server/live/stream_lens.hpp"
#include "server/live/stream_view.hpp"

namespace tribune::server {

class page_window;

class view_spec {
  public:
    // `page`: the client asked for page frames (honoured when pages()).
    view_spec(stream_view view, std::int64_t id, bool shortlist, stream_lens lens,
              bool page = false);

    const stream_view& view() const { return view_; }
    std::int64_t id() const { return id_; }
    bool shortlist() const { return shortlist_; }
    const stream_lens& lens() const { return lens_; }
    // True when the frames carry only what changes the view's first page (view().limit
    // questions): the client asked for it and the order is newest, oldest, or impact over
    // pending and held (the Review tab), so the hub keeps the page in memory (page_window).
    bool pages() const { return pages_; }
    // True for a page view whose order other questions' changes move (impact: a question's
    // place follows its group's members in review and heat): the hub's window reads the page
    // again at each batch instead of following the changes one by one.
    bool reread_pages() const;
    // Whether `a` comes before `b` in the view's order. REQUIRES: pages(), !reread_pages().
    bool sorts_before(const question& a, const question& b) const;
    // Equal for two specs exactly when every member above is equal.
    const std::string& key() const { return key_; }

    // Whether the change concerns the view: empty when it does not, else whether the question
    // is in the view after it. A change alters only the state (or the vote count, which no
    // filter reads), so whether the question was in the view before is the same test with the
    // state it came from.
    std::optional<bool> concerns(const question_change& c) const;
    // The frame entry of `r` when it concerns the view (a shortlist change: when the view asked
    // for the shortlist), encoded for the lens.
    std::optional<frame_entry> entry_for(const change_record& r) const;
    // `b` as this view sees it, with the frame for a client at b->prev.
    // A page view (pages()) is encoded through its hub's `window`, which `b` moves
    // (page_window::advance); out.page is false when the window could not be read.
    std::shared_ptr<const view_batch> encode(std::shared_ptr<const change_batch> b,
                                             page_window* window = nullptr) const;

  private:
    bool status_in_view(question_status s) const;

    stream_view view_;
    question_filter other_than_state_;  // view_.filter without its states
    std::int64_t id_;
    bool shortlist_;
    stream_lens lens_;
    bool pages_ = false;
    std::string key_;
};

}  // namespace tribune::server

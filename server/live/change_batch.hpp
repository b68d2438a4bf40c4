#pragma once
// change_batch and view_batch: what the hub's fan-out thread hands a stream at each tick.
// A change_batch is every change an event numbered since the previous tick, in order
// (after prev, first..last). A view_batch is the same batch as one view (view_spec) sees
// it, encoded once for every session with that view: the change entries that concern it
// and, ready to send, the frame that takes a client from prev to last.
//
// Thread safety: immutable once built; shared between threads as shared_ptr<const>.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/live/change_record.hpp"

namespace tribune::server {

struct change_batch {
    // The seq the batch continues from: nothing numbered after it and before `first` was
    // lost (numbers a change_source skipped carry no change). A stream at `prev` takes the
    // batch as the next; one at an earlier seq lacks what a dropped batch held.
    std::uint64_t prev = 0;
    std::uint64_t first = 0;  // seq of records.front()
    std::uint64_t last = 0;   // seq of records.back()
    std::vector<std::shared_ptr<const change_record>> records;  // never empty
};

// A question as a page shows it: by id and version, and in a view whose entries show their
// group's numbers (view_spec::reread_pages: impact), those numbers too, which the group's other
// members move without a new version of this question. A client holding an equal item holds
// what the page shows.
struct page_item {
    std::int64_t id = 0;
    std::int64_t version = 0;
    std::int64_t group_size = 0;
    std::int64_t group_review = 0;
    std::int64_t group_heat = 0;
    bool operator==(const page_item&) const = default;
};

inline page_item page_item_of(const question& q, bool with_group) {
    if (!with_group) return {q.id, q.version};
    return {q.id, q.version, q.cluster_size, q.cluster_review, q.cluster_heat};
}

// One change entry of a frame ({"op":...,"seq":...}), encoded for a view's lens.
struct frame_entry {
    std::shared_ptr<const std::string> text;
    bool shortlist = false;  // a whole shortlist: a newer one replaces it in a pending frame
};

// A page frame for a client whose page is the hub's page after an earlier batch (`prev`): it
// skipped the batches since (it acked late, or its socket was slow to drain). Every such client
// of the view gets these same bytes (view_subscription::take_frame).
struct page_catch_up {
    std::uint64_t prev = 0;
    std::shared_ptr<const std::string> frame;
};

struct view_batch {
    std::shared_ptr<const change_batch> batch;
    std::string key;                   // view_spec::key() of the view it was encoded for
    std::vector<frame_entry> entries;  // the changes that concern the view, in order
    state_counts counts{};             // after batch->last, when `counted`
    bool counted = false;
    // frame_message(id, prev, last, counts, entries): what a client at prev gets.
    std::string frame;

    // Page views (view_spec::pages()) only: `entries` and `frame` take a client whose page
    // was the hub's page before the batch to the page after it (page_window::advance);
    // `whole` holds the page after the batch entire, for a client whose page is another one
    // (it just subscribed, or it skipped batches): such a client gets the entries of `whole`
    // it does not hold at that version (view_subscription), then the tail. `diff_valid` is false when the hub had no page before the batch.
    bool page = false;
    bool diff_valid = false;
    std::vector<frame_entry> whole;  // every question of the page, in order
    std::vector<page_item> versions;  // (id, version) of each of `whole`
    std::string tail;                // page_tail(): the page's ids and next_cursor
    // The batch's newest shortlist entry, when the view asked for the shortlist (also the
    // last of `entries`).
    std::optional<frame_entry> shortlist;
    // Frames from the hub's pages after the few batches before `batch->prev`, newest first
    // (page_window::catch_ups): what a client at one of them that took every batch since gets.
    std::vector<page_catch_up> catch_ups;
};

// What a stream gets at a tick: the batch, and the view's encoding of it when the stream
// has a view the hub knows (else null).
struct delivery {
    std::shared_ptr<const change_batch> batch;
    std::shared_ptr<const view_batch> view;
};

}  // namespace tribune::server

#include "server/live/view_subscription.hpp"

#include <algorithm>

#include "server/wire/stream_codec.hpp"

namespace tribune::server {

view_subscription::view_subscription(std::shared_ptr<const view_spec> spec)
    : spec_(std::move(spec)) {}

void view_subscription::reset(std::uint64_t seq, const state_counts& counts) {
    seq_ = seq;
    frame_base_ = seq;
    counts_ = counts;
    pending_.clear();
    pending_bytes_ = 0;
    whole_.reset();
    page_.reset();
    page_shortlist_.reset();
    synced_ = false;
    client_page_.clear();
}

void view_subscription::took_snapshot(const std::vector<question>& items) {
    client_page_.clear();
    for (const question& q : items) client_page_.push_back(page_item_of(q, spec_->reread_pages()));
}

void view_subscription::keep(frame_entry e) {
    // Each shortlist entry carries the whole shortlist: the newest replaces one still pending.
    if (e.shortlist)
        std::erase_if(pending_, [this](const frame_entry& x) {
            if (x.shortlist) pending_bytes_ -= x.text->size();
            return x.shortlist;
        });
    pending_bytes_ += e.text->size();
    pending_.push_back(std::move(e));
}

bool view_subscription::add(const std::shared_ptr<const change_record>& r) {
    if (r->seq <= seq_) return false;
    seq_ = r->seq;
    whole_.reset();
    if (r->counted) counts_ = r->counts;
    if (auto e = spec_->entry_for(*r)) keep(std::move(*e));
    return true;
}

view_subscription::fit view_subscription::fit_of(const change_batch& b) const {
    if (b.last <= seq_) return fit::old;
    if (b.prev == seq_) return fit::next;
    return b.prev < seq_ ? fit::overlap : fit::gap;
}

void view_subscription::add(std::shared_ptr<const view_batch> v) {
    const bool alone = pending_.empty() && frame_base_ == seq_ && v->counted;
    seq_ = v->batch->last;
    if (v->counted) counts_ = v->counts;
    for (const frame_entry& e : v->entries) keep(e);
    whole_ = alone ? std::move(v) : nullptr;
}

void view_subscription::add_page(std::shared_ptr<const view_batch> v) {
    const bool shared = synced_ && v->diff_valid && !frame_due() && v->batch->prev == seq_;
    seq_ = v->batch->last;
    if (v->counted) counts_ = v->counts;
    if (v->shortlist) page_shortlist_ = v->shortlist;
    if (shared) {
        whole_ = std::move(v);
    } else {
        whole_.reset();
        page_ = std::move(v);
    }
}

std::string view_subscription::page_frame(std::int64_t subscription, std::uint64_t prev,
                                          const view_batch& v,
                                          const std::vector<page_item>& client_page,
                                          const std::optional<frame_entry>& shortlist) {
    // Only what the client's page lacks: a question it was sent at this version it holds.
    std::vector<frame_entry> entries;
    for (std::size_t i = 0; i < v.whole.size(); ++i)
        if (std::find(client_page.begin(), client_page.end(), v.versions[i]) == client_page.end())
            entries.push_back(v.whole[i]);
    if (shortlist) entries.push_back(*shortlist);
    return frame_message(subscription, prev, v.batch->last, v.counts, entries, v.tail);
}

std::shared_ptr<const std::string> view_subscription::take_frame() {
    std::shared_ptr<const std::string> out;
    // The client's page is the hub's page as of frame_base_ (see synced_).
    const bool was_synced = synced_;
    if (spec_->pages()) synced_ = whole_ || page_;
    if (page_) {
        const page_catch_up* shared = nullptr;
        if (was_synced)
            for (const page_catch_up& c : page_->catch_ups)
                if (c.prev == frame_base_) shared = &c;
        if (shared != nullptr)
            out = shared->frame;  // the hub's bytes for every client at frame_base_
        else
            out = std::make_shared<const std::string>(
                page_frame(spec_->id(), frame_base_, *page_, client_page_, page_shortlist_));
    } else if (whole_) {
        // The hub's frame for this view and batch: the same bytes, encoded once.
        if (whole_->page) client_page_ = whole_->versions;
        const std::string* frame = &whole_->frame;
        out = std::shared_ptr<const std::string>(std::move(whole_), frame);
    } else {
        out = std::make_shared<const std::string>(
            frame_message(spec_->id(), frame_base_, seq_, counts_, pending_));
    }
    if (page_) client_page_ = page_->versions;
    frame_base_ = seq_;
    pending_.clear();
    pending_bytes_ = 0;
    whole_.reset();
    page_.reset();
    page_shortlist_.reset();
    return out;
}

}  // namespace tribune::server

#include "server/live/page_window.hpp"

#include "server/live/view_subscription.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/store/store_rules.hpp"
#include "server/wire/question_codec.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {

bool page_window::same_shown(const question& a, const question& b) const {
    // In an impact view a question's entry also shows its group's numbers (page_item).
    return page_item_of(a, spec_->reread_pages()) == page_item_of(b, spec_->reread_pages());
}

page_window::page_window(std::shared_ptr<const view_spec> spec, std::string event,
                         moderation_query& query)
    : spec_(std::move(spec)), event_(std::move(event)), query_(query) {}

bool page_window::load(std::uint64_t seq) {
    question_query q;
    q.event_slug = event_;
    q.filter = spec_->view().filter;
    q.sort = spec_->view().sort;
    q.limit = capacity();
    auto page = query_.page(q);
    if (!page) return false;
    // What the window held keeps its encodings when the read shows the same version.
    std::unordered_map<std::int64_t, item> held;
    for (item& it : items_) held.emplace(it.q.id, std::move(it));
    items_.clear();
    for (question& fresh : page->items) {
        auto h = held.find(fresh.id);
        if (h != held.end() && same_shown(h->second.q, fresh)) {
            items_.push_back(std::move(h->second));
            continue;
        }
        items_.push_back(item{std::move(fresh), seq, nullptr, nullptr});
    }
    complete_ = !page->next;
    loaded_ = true;
    return true;
}

void page_window::take(const std::shared_ptr<const change_record>& r,
                       std::vector<std::shared_ptr<const change_record>>& left) {
    auto in_view = spec_->concerns(r->change);
    if (!in_view) return;
    const question& q = r->change.q;
    auto at = std::find_if(items_.begin(), items_.end(), [&](const item& x) { return x.q.id == q.id; });
    if (at != items_.end()) {
        if (at->q.version >= q.version) return;  // the window already shows this or later
        items_.erase(at);
    }
    if (!*in_view) {
        left.push_back(r);
        return;
    }
    // Past the window's last question, while the database holds more: its place is among
    // the questions the window does not hold.
    if (!complete_ && !items_.empty() && spec_->sorts_before(items_.back().q, q)) return;
    auto pos = std::partition_point(items_.begin(), items_.end(), [&](const item& x) {
        return spec_->sorts_before(x.q, q);
    });
    items_.insert(pos, item{q, r->seq, r, nullptr});
    if (items_.size() > capacity()) {
        items_.pop_back();
        complete_ = false;
    }
}

bool page_window::reread(const change_batch& b, std::vector<std::shared_ptr<const change_record>>& left) {
    // The batch's newest change of each question, and those that took one out of the view.
    std::unordered_map<std::int64_t, std::shared_ptr<const change_record>> latest;
    for (const auto& r : b.records) {
        if (r->shortlist) continue;
        latest[r->change.q.id] = r;
        if (auto in_view = spec_->concerns(r->change); in_view && !*in_view) left.push_back(r);
    }
    if (latest.empty()) return true;  // no question changed: neither did the order
    if (!load(b.last)) return false;
    // A question the read shows as its change in the batch left it goes out as that change.
    for (item& it : items_) {
        auto l = latest.find(it.q.id);
        if (l == latest.end() || !same_shown(l->second->change.q, it.q)) continue;
        it.change = l->second;
        it.seq = l->second->seq;
    }
    return true;
}

const std::shared_ptr<const std::string>& page_window::whole_entry(item& it) {
    if (!it.whole) it.whole = std::make_shared<const std::string>(page_entry(it.q, it.seq, spec_->lens()));
    return it.whole;
}

void page_window::advance(const change_batch& b, view_batch& out) {
    const std::size_t limit = spec_->view().limit;
    // The page before the batch, by id (the questions as the clients were last sent them).
    std::unordered_map<std::int64_t, question> before;
    // A window that missed batches (its view had no stream for a while) starts over.
    const bool had_page = loaded_ && b.prev == at_;
    at_ = b.last;
    // Catch-ups are built from pages of consecutive batches only: a batch not taken, or not
    // paged (the database could not be read), breaks the chain.
    if (!had_page) recent_.clear();
    if (had_page) {
        for (std::size_t i = 0; i < items_.size() && i < limit; ++i) before.emplace(items_[i].q.id, items_[i].q);
        for (item& it : items_) it.change.reset();
        std::vector<std::shared_ptr<const change_record>> left;
        if (spec_->reread_pages()) {
            if (!reread(b, left)) {
                recent_.clear();
                return;
            }
        } else {
            for (const auto& r : b.records)
                if (!r->shortlist) take(r, left);
            if (items_.size() < limit && !complete_ && !load(b.last)) {
                recent_.clear();
                return;
            }
        }
        // A question that left the view from the page: its removal (the newest, if several).
        std::unordered_map<std::int64_t, std::shared_ptr<const change_record>> removed;
        for (const auto& r : left)
            if (before.contains(r->change.q.id)) removed[r->change.q.id] = r;
        for (const auto& r : left) {
            auto it = removed.find(r->change.q.id);
            if (it == removed.end() || it->second != r) continue;
            const bool back_in = std::any_of(items_.begin(), items_.begin() + std::min(limit, items_.size()),
                                             [&](const item& x) { return x.q.id == r->change.q.id; });
            if (!back_in)
                out.entries.push_back({std::make_shared<const std::string>(change_entry(*r, false, spec_->lens())), false});
        }
    } else if (!load(b.last)) {
        loaded_ = false;
        return;
    }
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < items_.size() && i < limit; ++i) {
        item& it = items_[i];
        ids.push_back(it.q.id);
        out.whole.push_back({whole_entry(it), false});
        out.versions.push_back(page_item_of(it.q, spec_->reread_pages()));
        auto was = before.find(it.q.id);
        if (had_page && was != before.end() && same_shown(was->second, it.q)) continue;
        if (it.change)
            out.entries.push_back({std::make_shared<const std::string>(change_entry(*it.change, true, spec_->lens())), false});
        else
            out.entries.push_back({whole_entry(it), false});
    }
    std::optional<std::string> next;
    if (items_.size() > limit)
        next = encode_cursor(next_page_cursor(items_[limit - 1].q, spec_->view().sort, 0));
    else if (!complete_ && !items_.empty())
        next = encode_cursor(next_page_cursor(items_.back().q, spec_->view().sort, 0));
    out.tail = page_tail(ids, next);
    out.page = true;
    out.diff_valid = had_page;
}

void page_window::add_catch_ups(const change_batch& b, view_batch& out) {
    if (out.shortlist)
        for (recent_page& r : recent_) r.shortlist = out.shortlist;
    for (const recent_page& r : recent_) {
        if (r.seq == b.prev) continue;  // out.frame
        out.catch_ups.push_back({r.seq, std::make_shared<const std::string>(view_subscription::page_frame(
                                            spec_->id(), r.seq, out, r.versions, r.shortlist))});
    }
    recent_.push_front({b.last, out.versions, std::nullopt});
    if (recent_.size() > max_catch_ups) recent_.pop_back();
}

}  // namespace tribune::server

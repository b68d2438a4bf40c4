#include "server/live/view_spec.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

#include "core/store/store_rules.hpp"
#include "server/live/page_window.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {

view_spec::view_spec(stream_view view, std::int64_t id, bool shortlist, stream_lens lens,
                     bool page)
    : view_(std::move(view)),
      other_than_state_(view_.filter),
      id_(id),
      shortlist_(shortlist),
      lens_(lens),
      pages_(page && (view_.sort == question_sort::newest || view_.sort == question_sort::oldest ||
                      impact_over_review_states(view_.sort, view_.filter.statuses))) {
    other_than_state_.statuses.clear();
    // The view as the snapshot echoes it (every member of the filter, the order, the page
    // size), then what else shapes the frame's bytes.
    key_ = to_json(view_).dump();
    key_ += '|';
    key_ += std::to_string(id_);
    key_ += shortlist_ ? "|s" : "|-";
    key_ += lens_.public_only ? "|p" : "|a";
    key_ += lens_.fields.scores ? "|f" : "|-";
    key_ += pages_ ? "|g" : "|-";
    // The echo rounds the score range to thousandths; the filter does not.
    if (view_.filter.score_attr) {
        key_ += '|' + std::to_string(std::bit_cast<std::uint32_t>(view_.filter.min_score));
        key_ += '|' + std::to_string(std::bit_cast<std::uint32_t>(view_.filter.max_score));
    }
}

bool view_spec::reread_pages() const { return pages_ && view_.sort == question_sort::impact; }

bool view_spec::sorts_before(const question& a, const question& b) const {
    return view_.sort == question_sort::oldest ? a.id < b.id : a.id > b.id;
}

bool view_spec::status_in_view(question_status s) const {
    const auto& st = view_.filter.statuses;
    return st.empty() || std::find(st.begin(), st.end(), s) != st.end();
}

std::optional<bool> view_spec::concerns(const question_change& c) const {
    const bool before_state = c.from && status_in_view(*c.from);
    const bool after_state = status_in_view(c.q.status);
    if (!before_state && !after_state) return std::nullopt;
    // Everything but the state is the same before and after: test it once.
    if (!matches(other_than_state_, c.q)) return std::nullopt;
    return after_state;
}

std::optional<frame_entry> view_spec::entry_for(const change_record& r) const {
    if (r.shortlist) {
        if (!shortlist_) return std::nullopt;
        return frame_entry{std::make_shared<const std::string>(change_entry(r, true, lens_)), true};
    }
    auto in_view = concerns(r.change);
    if (!in_view) return std::nullopt;
    return frame_entry{std::make_shared<const std::string>(change_entry(r, *in_view, lens_)), false};
}

std::shared_ptr<const view_batch> view_spec::encode(std::shared_ptr<const change_batch> b,
                                                    page_window* window) const {
    auto out = std::make_shared<view_batch>();
    for (const auto& r : b->records) {
        if (r->counted) {
            out->counts = r->counts;
            out->counted = true;
        }
    }
    if (window != nullptr) {
        window->advance(*b, *out);
        // The newest shortlist, when asked for: each carries the whole shortlist.
        for (auto r = b->records.rbegin(); shortlist_ && r != b->records.rend(); ++r) {
            if (!(*r)->shortlist) continue;
            out->shortlist = entry_for(**r);
            out->entries.push_back(*out->shortlist);
            break;
        }
        out->batch = b;
        if (out->page) {
            out->frame = frame_message(id_, b->prev, b->last, out->counts, out->entries, out->tail);
            window->add_catch_ups(*b, *out);
        }
        out->batch = std::move(b);
        out->key = key_;
        return out;
    }
    for (const auto& r : b->records) {
        if (auto e = entry_for(*r)) {
            // Only the newest shortlist goes out: each carries the whole shortlist.
            if (e->shortlist)
                std::erase_if(out->entries, [](const frame_entry& x) { return x.shortlist; });
            out->entries.push_back(std::move(*e));
        }
    }
    out->frame = frame_message(id_, b->prev, b->last, out->counts, out->entries);
    out->batch = std::move(b);
    out->key = key_;
    return out;
}

}  // namespace tribune::server

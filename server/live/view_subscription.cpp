#include "server/live/view_subscription.hpp"

#include <algorithm>

#include "server/wire/stream_codec.hpp"

namespace tribune::server {

view_subscription::view_subscription(stream_view view, std::int64_t id, bool shortlist,
                                     stream_lens lens)
    : view_(std::move(view)),
      other_than_state_(view_.filter),
      id_(id),
      shortlist_(shortlist),
      lens_(lens) {
    other_than_state_.statuses.clear();
}

void view_subscription::reset(std::uint64_t seq, const state_counts& counts) {
    seq_ = seq;
    frame_base_ = seq;
    counts_ = counts;
    pending_.clear();
}

bool view_subscription::status_in_view(question_status s) const {
    const auto& st = view_.filter.statuses;
    return st.empty() || std::find(st.begin(), st.end(), s) != st.end();
}

std::optional<bool> view_subscription::concerns(const question_change& c) const {
    const bool before_state = c.from && status_in_view(*c.from);
    const bool after_state = status_in_view(c.q.status);
    if (!before_state && !after_state) return std::nullopt;
    // Everything but the state is the same before and after: test it once.
    if (!matches(other_than_state_, c.q)) return std::nullopt;
    return after_state;
}

bool view_subscription::add(const std::shared_ptr<const change_record>& r) {
    if (r->seq <= seq_) return false;
    seq_ = r->seq;
    if (r->counted) counts_ = r->counts;
    if (r->shortlist) {
        if (!shortlist_) return true;
        // Each carries the whole shortlist: the newest replaces one still pending.
        std::erase_if(pending_, [](const entry& e) { return e.record->shortlist != nullptr; });
        pending_.push_back({r, true});
        return true;
    }
    if (auto in_view = concerns(r->change)) pending_.push_back({r, *in_view});
    return true;
}

std::string view_subscription::take_frame() {
    std::vector<std::string> entries;
    entries.reserve(pending_.size());
    for (const entry& e : pending_) entries.push_back(change_entry(*e.record, e.in_view, lens_));
    std::string out = frame_message(id_, frame_base_, seq_, counts_, entries);
    frame_base_ = seq_;
    pending_.clear();
    return out;
}

}  // namespace tribune::server

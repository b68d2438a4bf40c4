#include "server/live/display_protocol.hpp"

#include <algorithm>

#include "core/store/store_rules.hpp"
#include "server/wire/shortlist_codec.hpp"

namespace tribune::server {

display_protocol::display_protocol(hub& h, moderation_query& query, shortlist_service& shortlist,
                                   const config& cfg, event_info event, event_settings settings)
    : event_protocol(h, query, cfg, event.slug, std::nullopt, std::string()),
      shortlist_(shortlist),
      event_info_(std::move(event)),
      settings_(settings) {}

void display_protocol::on_open(stream_transport& t) {
    event_protocol::on_open(t);
    // Joined first: changes after this position follow, and the shortlist read below shows at
    // least everything up to it.
    seq_ = join(std::nullopt, std::string()).seq;
    auto entries = shortlist_.list(event_);
    if (!entries) return transport_->drop();  // the client reconnects and tries again
    entries_ = std::move(*entries);
    offer();
}

bool display_protocol::apply(const question_change& c) {
    bool changed = false;
    for (auto it = entries_.begin(); it != entries_.end();) {
        question& held = it->q;
        if (held.id == c.q.id && c.q.version >= held.version) {
            if (!is_public(c.q.status)) {
                it = entries_.erase(it);
                changed = true;
                continue;
            }
            const std::int64_t asked = std::max(held.cluster_size, c.q.cluster_size);
            held = c.q;
            held.cluster_size = asked;
            changed = true;
        } else if (c.kind == change_kind::created && held.cluster_id == c.q.cluster_id &&
                   c.q.cluster_size > held.cluster_size) {
            held.cluster_size = c.q.cluster_size;
            changed = true;
        }
        ++it;
    }
    return changed;
}

void display_protocol::on_record(std::shared_ptr<const change_record> r) {
    if (r->seq <= seq_) return;
    seq_ = r->seq;
    if (r->shortlist) {
        entries_ = r->shortlist->entries;
        return offer();
    }
    if (apply(r->change)) offer();
}

void display_protocol::on_message(const std::string&) {
    if (waiting_ || transport_->closing()) return;  // the waiting display message answers it
    // A message being written may be one the client read before it asked: the pong goes out
    // once the write ends (on_drained), unless a display message is waiting by then.
    pong_owed_ = true;
    on_drained();
}

void display_protocol::offer() {
    if (transport_->closing()) return;
    waiting_ = std::make_shared<const std::string>(
        display_message(seq_, event_info_, settings_, display_of(entries_, next_count)));
    on_drained();
}

void display_protocol::on_drained() {
    if (!transport_->idle() || transport_->closing()) return;
    if (waiting_) {
        transport_->send(std::move(waiting_));
        waiting_.reset();
    } else if (pong_owed_) {
        static const auto pong = std::make_shared<const std::string>(display_pong_message());
        transport_->send(pong);
    } else {
        return;
    }
    pong_owed_ = false;
}

}  // namespace tribune::server

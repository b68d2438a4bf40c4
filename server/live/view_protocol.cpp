#include "server/live/view_protocol.hpp"

#include "server/http/executive_visibility.hpp"
#include "server/wire/question_codec.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {
namespace {

// View mode sends few, large messages: a client that leaves this many unread (by sending
// subscribe after subscribe without reading) is cut.
constexpr std::size_t max_view_queue = 8;
// Bytes; Linux doubles it for its bookkeeping. A frame of a thousand questions fits in a
// few. A fixed buffer (instead of one that grows to megabytes) means a client that stops
// reading is noticed after about this much, and its backlog is then coalesced and bounded
// by the protocol rather than held by the kernel.
constexpr int view_socket_send_buffer = 256 * 1024;

}  // namespace

view_protocol::view_protocol(hub& h, presence& p, moderation_query& query,
                             shortlist_service& shortlist, const config& cfg, std::string event,
                             std::optional<std::uint64_t> since, std::string epoch,
                             stream_lens lens)
    : event_protocol(h, query, cfg, std::move(event), since, std::move(epoch)),
      presence_(p),
      shortlist_(shortlist),
      lens_(lens) {}

std::size_t view_protocol::queue_limit() const { return max_view_queue; }

std::optional<int> view_protocol::send_buffer_bytes() const { return view_socket_send_buffer; }

void view_protocol::send(std::string message) {
    transport_->send(std::make_shared<const std::string>(std::move(message)));
}

void view_protocol::on_message(const std::string& text) {
    auto msg = read_client_message(text);
    if (!msg) return send(error_message(msg.error()));
    if (msg->ack) return on_ack(*msg->ack);
    if (msg->subscribe) subscribe(std::move(*msg->subscribe));
}

void view_protocol::on_ack(std::uint64_t seq) {
    if (!unacked_ || seq < *unacked_) return;
    unacked_.reset();
    schedule_frame();
}

void view_protocol::sent_view_message(std::uint64_t seq) {
    last_frame_at_ = clock::now();
    if (!ack_) return;
    unacked_ = seq;
    unacked_since_ = last_frame_at_;
}

void view_protocol::subscribe(subscribe_request req) {
    // The URL's since/epoch resume the first subscription when the message names none.
    if (!req.since && !subscribed_once_ && since_) {
        req.since = since_;
        req.epoch = epoch_;
    }
    if (lens_.public_only)
        if (status st = restrict_to_public(req.view.filter.statuses); !st)
            return send(error_message(st));
    subscribed_once_ = true;
    auto spec = std::make_shared<const view_spec>(std::move(req.view), req.id, req.shortlist, lens_,
                                                  req.page);
    hub::position p = join(req.since, req.epoch, spec);
    if (!p.counted)
        return send(error_message(status::error(error_kind::unavailable, "unavailable",
                                                "the event's counts cannot be read now")));
    view_.emplace(std::move(spec));
    resync_ = false;
    // A new subscription: the client drops what answered the old one, acks included.
    ack_ = req.ack;
    unacked_.reset();
    // A page view resumes with a snapshot: its frames follow the hub's page, not the changes.
    if (p.missed && p.missed->size() <= cfg_.ws_send_queue_limit && !view_->spec()->pages()) {
        // A resume: exactly the changes after `since`, as one frame at once (nothing when
        // nothing was missed).
        view_->reset(*req.since, p.counts);
        for (const auto& r : *p.missed) view_->add(r);
        if (view_->frame_due()) {
            transport_->send(view_->take_frame());
            sent_view_message(view_->seq());
        }
    } else {
        view_->reset(p.seq, p.counts);
        send_snapshot();
    }
    // After the answer, so a dashboard has the activity right after its first page.
    want_activity(req.activity);
}

void view_protocol::send_snapshot() {
    // The page is read after the position it is labelled with: it may already show changes
    // that frames then repeat; clients apply by question id and version.
    question_query q;
    q.event_slug = event_;
    q.filter = view_->view().filter;
    q.sort = view_->view().sort;
    q.limit = view_->view().limit;
    auto page = query_.page(q);
    if (!page) {
        send(error_message(page.error()));
        return transport_->drop();
    }
    std::optional<std::vector<shortlist_entry>> shortlist;
    if (view_->shortlist()) {
        auto entries = shortlist_.list(event_);
        if (!entries) {
            send(error_message(entries.error()));
            return transport_->drop();
        }
        shortlist = std::move(*entries);
    }
    snapshot_content c;
    c.subscription = view_->id();
    c.view = &view_->view();
    c.items = &page->items;
    if (page->next) c.next_cursor = encode_cursor(*page->next);
    c.shortlist = shortlist ? &*shortlist : nullptr;
    c.fields = lens_.fields;
    send(snapshot_message(event_, hub_.epoch(), view_->seq(), view_->counts(), c));
    if (view_->spec()->pages()) view_->took_snapshot(page->items);
    sent_view_message(view_->seq());
}

void view_protocol::on_record(std::shared_ptr<const change_record> r) {
    if (!view_ || !view_->add(r)) return;
    taken();
}

void view_protocol::on_batch(const delivery& d) {
    if (!view_) return;
    const auto fit = view_->fit_of(*d.batch);
    if (view_->spec()->pages() && fit != view_subscription::fit::old) {
        // The hub's page for this view; without it (the window could not be read, or the
        // batch was encoded for an older subscribe) the client gets a fresh snapshot.
        if (fit == view_subscription::fit::gap || !d.view || !d.view->page || !d.view->counted ||
            d.view->key != view_->spec()->key())
            return on_gap();
        view_->add_page(d.view);
        return taken();
    }
    switch (fit) {
        case view_subscription::fit::old:
            return;
        case view_subscription::fit::gap:
            return on_gap();
        case view_subscription::fit::next:
            // The hub's encoding for this view, unless it was made for an older subscribe.
            if (d.view && d.view->counted && d.view->key == view_->spec()->key()) {
                view_->add(d.view);
                return taken();
            }
            break;
        case view_subscription::fit::overlap:
            break;
    }
    for (const auto& r : d.batch->records) view_->add(r);
    taken();
}

void view_protocol::on_gap() {
    if (!view_ || transport_->closing()) return;
    // Where the event stands now; the snapshot is labelled with it.
    hub::position p = join(std::nullopt, std::string(), view_->spec());
    if (!p.counted) return transport_->drop();
    view_->reset(p.seq, p.counts);
    start_resync();
    schedule_frame();
}

void view_protocol::taken() {
    if (!transport_->idle() && transport_->write_age() > stall_timeout) return transport_->drop();
    if (unacked_ && clock::now() - unacked_since_ > stall_timeout) return transport_->drop();
    // Changes pile up beyond the cap only while the socket has not taken the last frame: a
    // client reading along gets them all, however many arrive between two frames.
    // Bounded in changes and in bytes: beyond either, what waits is replaced by a snapshot.
    const bool over = view_->pending() > cfg_.ws_send_queue_limit ||
                      view_->pending_bytes() > cfg_.ws_send_queue_bytes;
    if (resync_ || (over && (!transport_->idle() || unacked_))) start_resync();
    schedule_frame();
}

void view_protocol::start_resync() {
    // Too far behind to catch up change by change: forget them, keep seq and counts, and
    // send a fresh snapshot when the socket drains.
    resync_ = true;
    view_->reset(view_->seq(), view_->counts());
}

void view_protocol::schedule_frame() {
    if (timer_armed_ || transport_->closing() || !view_) return;
    if (unacked_) return;  // on_ack calls again once the client has applied the last one
    if (!resync_ && !view_->frame_due()) return;
    if (!transport_->idle()) return;  // on_drained calls again once the socket has drained
    const auto due = last_frame_at_ + frame_interval;
    if (clock::now() >= due) return flush();
    timer_armed_ = true;
    transport_->wake_at(due);
}

void view_protocol::on_timer() {
    timer_armed_ = false;
    if (!transport_->idle()) return;  // on_drained schedules the frame
    flush();
}

void view_protocol::flush() {
    if (transport_->closing() || !view_ || unacked_) return;
    if (resync_) {
        resync_ = false;
        return send_snapshot();
    }
    if (!view_->frame_due()) return;
    transport_->send(view_->take_frame());
    sent_view_message(view_->seq());
}

void view_protocol::on_drained() {
    // A frame that is due goes first; the activity follows it, or goes now when the frame
    // waits for its interval.
    schedule_frame();
    write_activity();
}

void view_protocol::on_activity(std::shared_ptr<const activity_record> a) {
    if (!activity_wanted_) return;
    offer_activity(std::move(a));
}

void view_protocol::want_activity(bool on) {
    if (transport_->closing() || on == activity_wanted_) return;
    activity_wanted_ = on;
    if (!on) {
        activity_pending_.reset();
        activity_version_ = 0;  // asked again later, the current one is sent again
        return;
    }
    offer_activity(presence_.activity(event_));
}

void view_protocol::offer_activity(std::shared_ptr<const activity_record> a) {
    // Records come from presence's publications and from this protocol's own request: keep
    // only the newest, and replace one still waiting.
    if (!a || a->version <= activity_version_) return;
    activity_version_ = a->version;
    activity_pending_ = std::move(a);
    write_activity();
}

void view_protocol::write_activity() {
    // Only into an empty queue: the pending record is what goes out once the socket drains
    // (on_drained), whatever replaced it meanwhile.
    if (transport_->closing() || !activity_pending_ || !transport_->idle()) return;
    const std::string* message = &activity_pending_->message;
    transport_->send(std::shared_ptr<const std::string>(std::move(activity_pending_), message));
    activity_pending_.reset();
}

}  // namespace tribune::server

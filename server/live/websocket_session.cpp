#include "server/live/websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "server/live/hub.hpp"
#include "server/wire/json_codec.hpp"
#include "server/ops/log.hpp"
#include "server/http/request_target.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
// View mode sends few, large messages: a client that leaves this many unread (by sending
// subscribe after subscribe without reading) is cut.
constexpr std::size_t max_view_queue = 8;
// Bytes; Linux doubles it for its bookkeeping. A frame of a thousand questions fits in a few.
constexpr std::size_t view_socket_send_buffer = 256 * 1024;
}  // namespace

websocket_session::websocket_session(net::ip::tcp::socket&& socket, hub& h, store& db,
                                     const config& cfg, std::string event,
                                     std::optional<std::uint64_t> since, std::string epoch)
    : ws_(std::move(socket)),
      timer_(ws_.get_executor()),
      hub_(h),
      db_(db),
      cfg_(cfg),
      event_(std::move(event)),
      since_(since),
      epoch_(std::move(epoch)) {}

websocket_session::~websocket_session() {
    if (joined_) hub_.leave(event_, this);
}

void websocket_session::run(http::request<http::string_body> req) {
    if (auto t = request_target::parse(req.target())) {
        if (const std::string* m = t->param("mode"); m && *m == "view") protocol_ = protocol::view;
    }
    if (protocol_ == protocol::view) {
        // A fixed kernel send buffer (instead of one that grows to megabytes): a client that
        // stops reading is noticed after about this much, and its backlog is then coalesced
        // and bounded by the session rather than held by the kernel.
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().set_option(
            net::socket_base::send_buffer_size(static_cast<int>(view_socket_send_buffer)), ignored);
    }
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "tribune");
    }));
    ws_.read_message_max(cfg_.ws_max_message_bytes);
    ws_.async_accept(req, beast::bind_front_handler(&websocket_session::on_accept,
                                                    shared_from_this()));
}

void websocket_session::on_accept(beast::error_code ec) {
    if (ec) return log_failure(ec, "websocket accept");
    if (protocol_ == protocol::per_change) {
        joined_ = true;
        hub::position p = hub_.join(event_, shared_from_this(), since_, epoch_, db_);
        seq_ = p.seq;
        if (p.missed) {
            for (const auto& r : *p.missed)
                queue_message(std::shared_ptr<const std::string>(r, &r->message));
        } else {
            send_per_change_snapshot(p.seq);
        }
    } else {
        // View mode: nothing is sent before the client's subscribe message, but the socket
        // is open on the event from now on (moderators online, revocation, shutdown).
        joined_ = true;
        hub_.attend(event_, shared_from_this());
    }
    do_read();
}

void websocket_session::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read,
                                                      shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
    if (ec) return;  // closed by the peer, timed out, or dropped: the session ends
    if (protocol_ == protocol::view && !closing_) on_client_message(beast::buffers_to_string(buffer_.data()));
    // Per change, client messages carry nothing the server needs (pings keep it warm).
    buffer_.consume(buffer_.size());
    do_read();
}

void websocket_session::on_client_message(const std::string& text) {
    json msg = json::parse(text, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) return;  // not ours to interpret
    if (msg.value("type", "") != "subscribe") return;     // pings and future types
    auto req = decode_subscribe(msg);
    if (!req) return queue_message(std::make_shared<const std::string>(error_message(req.error())));
    subscribe(std::move(*req));
}

void websocket_session::subscribe(subscribe_request req) {
    // The URL's since/epoch resume the first subscription when the message names none.
    if (!req.since && !subscribed_once_ && since_) {
        req.since = since_;
        req.epoch = epoch_;
    }
    subscribed_once_ = true;
    joined_ = true;
    hub::position p = hub_.join(event_, shared_from_this(), req.since, req.epoch, db_);
    if (!p.counted) {
        queue_message(std::make_shared<const std::string>(error_message(status::error(
            error_kind::unavailable, "unavailable", "the event's counts cannot be read now"))));
        return;
    }
    view_.emplace(std::move(req.view), req.id);
    resync_ = false;
    if (p.missed && p.missed->size() <= cfg_.ws_send_queue_limit) {
        // A resume: exactly the changes after `since`, as one frame at once (nothing when
        // nothing was missed).
        view_->reset(*req.since, p.counts);
        for (const auto& r : *p.missed) view_->add(r);
        if (view_->frame_due()) {
            queue_message(std::make_shared<const std::string>(view_->take_frame()));
            last_frame_at_ = clock::now();
        }
    } else {
        view_->reset(p.seq, p.counts);
        send_view_snapshot();
    }
    // After the answer, so a dashboard has the activity right after its first page.
    want_activity(req.activity);
}

void websocket_session::send_view_snapshot() {
    // The page is read after the position it is labelled with: it may already show changes
    // that frames then repeat; clients apply by question id and version.
    question_query q;
    q.event_slug = event_;
    q.filter = view_->view().filter;
    q.sort = view_->view().sort;
    q.limit = view_->view().limit;
    auto page = db_.list_questions(q);
    if (!page) {
        queue_message(std::make_shared<const std::string>(error_message(page.error())));
        return drop();
    }
    std::optional<std::string> next;
    if (page->next) next = encode_cursor(*page->next);
    queue_message(std::make_shared<const std::string>(
        snapshot_message(event_, hub_.epoch(), view_->seq(), view_->counts(), view_->id(),
                         view_->view(), page->items, next)));
    last_frame_at_ = clock::now();
}

void websocket_session::deliver(std::shared_ptr<const change_record> r) {
    net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_record,
                                                            shared_from_this(), std::move(r)));
}

void websocket_session::on_record(std::shared_ptr<const change_record> r) {
    if (closing_) return;
    if (protocol_ == protocol::per_change) {
        if (r->seq <= seq_) return;  // covered by the snapshot or the resume
        seq_ = r->seq;
        const std::string* msg = &r->message;
        return queue_message(std::shared_ptr<const std::string>(std::move(r), msg));
    }
    if (!view_ || !view_->add(r)) return;
    if (!queue_.empty() && clock::now() - write_started_ > stall_timeout) return drop();
    // Changes pile up beyond the cap only while the socket has not taken the last frame: a
    // client reading along gets them all, however many arrive between two frames.
    if (resync_ || (view_->pending() > cfg_.ws_send_queue_limit && !queue_.empty())) {
        // Too far behind to catch up change by change: forget them, keep seq and counts,
        // and send a fresh snapshot when the socket drains.
        resync_ = true;
        view_->reset(view_->seq(), view_->counts());
    }
    schedule_frame();
}

void websocket_session::schedule_frame() {
    if (timer_armed_ || closing_ || !view_) return;
    if (!resync_ && !view_->frame_due()) return;
    if (!queue_.empty()) return;  // on_write calls again once the socket has drained
    const auto due = last_frame_at_ + frame_interval;
    if (clock::now() >= due) return flush();
    timer_armed_ = true;
    timer_.expires_at(due);
    timer_.async_wait(beast::bind_front_handler(&websocket_session::on_timer, shared_from_this()));
}

void websocket_session::on_timer(beast::error_code ec) {
    timer_armed_ = false;
    if (ec || closing_) return;
    if (!queue_.empty()) return;  // on_write schedules the frame
    flush();
}

void websocket_session::flush() {
    if (closing_ || !view_) return;
    if (resync_) {
        resync_ = false;
        return send_view_snapshot();
    }
    if (!view_->frame_due()) return;
    queue_message(std::make_shared<const std::string>(view_->take_frame()));
    last_frame_at_ = clock::now();
}

void websocket_session::deliver_activity(std::shared_ptr<const activity_record> a) {
    net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_activity,
                                                            shared_from_this(), std::move(a)));
}

void websocket_session::on_activity(std::shared_ptr<const activity_record> a) {
    if (closing_ || protocol_ != protocol::view || !activity_wanted_) return;
    offer_activity(std::move(a));
}

void websocket_session::want_activity(bool on) {
    if (closing_ || on == activity_wanted_) return;
    activity_wanted_ = on;
    if (!on) {
        activity_pending_.reset();
        activity_version_ = 0;  // asked again later, the current one is sent again
        return;
    }
    offer_activity(hub_.activity(event_));
}

void websocket_session::offer_activity(std::shared_ptr<const activity_record> a) {
    // Records come from the hub's publications and from this session's own request: keep
    // only the newest, and replace one still waiting.
    if (!a || a->version <= activity_version_) return;
    activity_version_ = a->version;
    activity_pending_ = std::move(a);
    write_activity();
}

void websocket_session::write_activity() {
    // Only into an empty queue: the pending record is what goes out once the socket drains
    // (on_write), whatever replaced it meanwhile.
    if (closing_ || !activity_pending_ || !queue_.empty()) return;
    const std::string* msg = &activity_pending_->message;
    queue_message(std::shared_ptr<const std::string>(std::move(activity_pending_), msg));
    activity_pending_.reset();
}

void websocket_session::close_going_away() { close_with(websocket::close_code::going_away); }

void websocket_session::close_revoked() { close_with(websocket::close_code::policy_error); }

void websocket_session::close_with(websocket::close_code code) {
    net::post(ws_.get_executor(), [self = shared_from_this(), code] {
        if (self->closing_) return;
        self->closing_ = true;
        if (!self->queue_.empty()) self->queue_.erase(self->queue_.begin() + 1, self->queue_.end());
        self->timer_.cancel();
        self->ws_.async_close(code, [self](beast::error_code) {});
    });
}

void websocket_session::send_per_change_snapshot(std::uint64_t seq) {
    if (closing_) return;
    json msg = {{"type", "snapshot"}, {"event", event_}, {"epoch", hub_.epoch()}, {"seq", seq}};
    auto ev = db_.find_event(event_);
    if (!ev) return drop();
    auto counts = db_.count_by_status(ev->id);
    question_query q;
    q.event_slug = event_;
    q.filter.statuses = {question_status::pending, question_status::held};
    q.limit = cfg_.snapshot_limit;
    auto page = db_.list_questions(q);
    if (!counts || !page) return drop();
    msg["counts"] = to_json(*counts);
    json items = json::array();
    for (const question& item : page->items) items.push_back(to_json(item));
    msg["items"] = std::move(items);
    queue_message(std::make_shared<const std::string>(msg.dump()));
}

void websocket_session::queue_message(std::shared_ptr<const std::string> msg) {
    if (closing_) return;
    const std::size_t cap =
        protocol_ == protocol::view ? max_view_queue : cfg_.ws_send_queue_limit;
    if (queue_.size() >= cap) return drop();
    queue_.push_back(std::move(msg));
    if (queue_.size() == 1) do_write();
}

void websocket_session::do_write() {
    write_started_ = clock::now();
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&websocket_session::on_write, shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
    if (ec) return drop();
    queue_.pop_front();
    if (closing_) return;
    if (!queue_.empty()) return do_write();
    if (protocol_ == protocol::view) {
        // A frame that is due goes first; the activity follows it, or goes now when the
        // frame waits for its interval.
        schedule_frame();
        write_activity();
    }
}

void websocket_session::drop() {
    // A client too slow for its queue, or a failed write: cut the connection. The pending
    // read completes with an error and the last reference goes away.
    closing_ = true;
    // The message being written must outlive the write, which completes with an error.
    if (!queue_.empty()) queue_.erase(queue_.begin() + 1, queue_.end());
    timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
}

}  // namespace tribune::server

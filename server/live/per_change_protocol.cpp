#include "server/live/per_change_protocol.hpp"

#include "server/wire/stream_codec.hpp"

namespace tribune::server {

void per_change_protocol::on_open(stream_transport& t) {
    event_protocol::on_open(t);
    hub::position p = join(since_, epoch_);
    seq_ = p.seq;
    if (!p.missed) return send_snapshot(p.seq);
    for (auto& r : *p.missed) send_record(std::move(r));
}

void per_change_protocol::send_snapshot(std::uint64_t seq) {
    if (transport_->closing()) return;
    auto queue = query_.review(event_, cfg_.snapshot_limit);
    if (!queue) return transport_->drop();
    transport_->send(std::make_shared<const std::string>(
        review_snapshot_message(event_, hub_.epoch(), seq, queue->counts, queue->items)));
}

void per_change_protocol::send_record(std::shared_ptr<const change_record> r) {
    const std::string* message = &r->message;
    transport_->send(std::shared_ptr<const std::string>(std::move(r), message));
}

void per_change_protocol::on_record(std::shared_ptr<const change_record> r) {
    if (r->seq <= seq_) return;  // covered by the snapshot or the resume
    seq_ = r->seq;
    send_record(std::move(r));
}

}  // namespace tribune::server

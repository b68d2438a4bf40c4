#include "server/live/per_change_protocol.hpp"

#include "server/wire/stream_codec.hpp"

namespace tribune::server {

per_change_protocol::per_change_protocol(hub& h, moderation_query& query, const config& cfg,
                                         std::string event, std::optional<std::uint64_t> since,
                                         std::string epoch)
    : hub_(h),
      query_(query),
      cfg_(cfg),
      event_(std::move(event)),
      since_(since),
      epoch_(std::move(epoch)) {}

per_change_protocol::~per_change_protocol() {
    if (joined_ != nullptr) hub_.leave(event_, joined_);
}

void per_change_protocol::on_open(stream_transport& t) {
    transport_ = &t;
    auto self = t.subscriber();
    joined_ = self.get();
    hub::position p = hub_.join(event_, self, since_, epoch_);
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

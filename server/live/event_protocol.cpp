#include "server/live/event_protocol.hpp"

namespace tribune::server {

event_protocol::event_protocol(hub& h, moderation_query& query, const config& cfg,
                               std::string event, std::optional<std::uint64_t> since,
                               std::string epoch)
    : hub_(h),
      query_(query),
      cfg_(cfg),
      event_(std::move(event)),
      since_(since),
      epoch_(std::move(epoch)) {}

event_protocol::~event_protocol() {
    if (joined_ != nullptr) hub_.leave(event_, joined_);
}

hub::position event_protocol::join(std::optional<std::uint64_t> since, const std::string& epoch,
                                   std::shared_ptr<const view_spec> spec) {
    auto self = transport_->subscriber();
    joined_ = self.get();
    return hub_.join(event_, self, since, epoch, std::move(spec));
}

}  // namespace tribune::server

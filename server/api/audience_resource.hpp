#pragma once
// audience_resource: the audience's endpoints, open to anyone (docs/api.md "Access", The
// audience): the event as the audience's page shows it, ask a question, read what was
// approved, vote, and the status of one's own questions. The rules are audience_service's;
// here: decoding, encoding, and the per-participant limit on writes (asking and voting).
//
// Thread safety: handlers may run on any io thread concurrently (the limiter has its own
// mutex); an asked question is answered from a scoring worker.

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"
#include "server/http/rate_limiter.hpp"

namespace tribune::server {

class audience_resource : public resource {
  public:
    explicit audience_resource(const api_services& s);

    void event(request_context& ctx);
    void ask(request_context& ctx);
    void list(request_context& ctx);
    void vote(request_context& ctx);
    void own(request_context& ctx);

  private:
    // False after answering 429 rate_limited with Retry-After, when `participant_key` (a
    // voter key, voter.hpp) made too many writes.
    bool admit_write(request_context& ctx, const std::string& participant_key);

    rate_limiter writes_;
};

}  // namespace tribune::server

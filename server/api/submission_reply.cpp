#include "server/api/submission_reply.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void submit_and_reply(request_context& ctx, question_service& questions, submission sub,
                      question_encoder encode) {
    status st =
        questions.submit(std::move(sub), [reply = ctx.later(), encode](result<submit_outcome> r) {
            if (!r) return reply.fail(r.error());
            reply.send_encoded(r->created ? http::status::created : http::status::ok, encode(r->q));
        });
    if (!st) ctx.fail(st);
}

}  // namespace tribune::server

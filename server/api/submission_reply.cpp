#include "server/api/submission_reply.hpp"

#include "server/http/responses.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void submit_and_reply(request_context& ctx, question_service& questions, submission sub,
                      question_encoder encode, bool minimal) {
    status st = questions.submit(
        std::move(sub), [reply = ctx.later(), encode, minimal](result<submit_outcome> r) {
            if (!r) return reply.fail(r.error());
            http_response res =
                encoded_json_response(r->created ? http::status::created : http::status::ok,
                                      encode(r->q), reply.version(), reply.keep_alive());
            if (minimal) res.set(http::field::preference_applied, "return=minimal");
            reply.reply(std::move(res));
        });
    if (!st) ctx.fail(st);
}

}  // namespace tribune::server

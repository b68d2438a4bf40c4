#include "server/api/question_lookup.hpp"

#include "server/http/executive_visibility.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

std::optional<question> find_question(request_context& ctx, moderation_query& query,
                                      lookup_for purpose) {
    auto id = ctx.id_param("id");
    if (!id) {
        ctx.fail(not_found("question_not_found", "question ids are positive integers"));
        return std::nullopt;
    }
    auto q = query.question_by_id(*id);
    if (!q) {
        ctx.fail(q.error());
        return std::nullopt;
    }
    if (purpose == lookup_for::reading && !visible_to(ctx.who(), *q)) {
        ctx.fail(
            not_found("question_not_found", "no approved question with id " + ctx.param("id")));
        return std::nullopt;
    }
    return std::move(*q);
}

}  // namespace tribune::server

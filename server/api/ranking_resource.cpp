#include "server/api/ranking_resource.hpp"

#include "core/util/wall_clock.hpp"
#include "server/api/question_view.hpp"
#include "server/wire/ranking_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void ranking_resource::show(request_context& ctx) {
    ranking_query q;
    q.event_slug = ctx.param("slug");
    if (status st = decode_ranking_query(ctx.target().query, q); !st) return ctx.fail(st);
    q.now = wall_clock_ms();
    auto fields = fields_for_event(ctx, s_.query, q.event_slug);
    if (!fields) return;
    auto ranked = s_.ranking.rank(q);
    if (!ranked) return ctx.fail(ranked.error());
    ctx.send(http::status::ok, to_json(*ranked, q, *fields));
}

}  // namespace tribune::server

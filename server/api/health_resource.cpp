#include "server/api/health_resource.hpp"

#include "core/util/wall_clock.hpp"
#include "server/http/responses.hpp"
#include "server/ops/prometheus_text.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void health_resource::health(request_context& ctx) {
    ctx.send(http::status::ok, health_json(s_.questions.model().name(), s_.questions.queue_depth(),
                                           s_.online.client_count()));
}

void health_resource::metrics_text(request_context& ctx) {
    std::string out;
    s_.stats.render(out);
    append_sample_family(out, "tribune_websocket_clients", "Connected live-stream clients.",
                         "gauge", s_.online.client_count());
    append_sample_family(out, "tribune_ingest_queue_depth",
                         "Questions waiting for the scoring workers.", "gauge",
                         s_.questions.queue_depth());
    if (auto events = s_.query.counts_by_event())
        append_question_counts(out, *events);
    else
        append_question_counts(out, {});
    append_bridge_health(out, s_.bridges.health().all(wall_clock_ms()));
    ctx.reply(text_response(http::status::ok, std::move(out), prometheus_content_type,
                            ctx.version(), ctx.keep_alive()));
}

}  // namespace tribune::server

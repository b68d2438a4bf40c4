#include "server/ops/metrics.hpp"

#include <tuple>

#include "server/ops/prometheus_text.hpp"

namespace tribune::server {

namespace {

// The label of each histogram in metrics::stages_, and the ingest_stages member it counts.
constexpr std::array<std::pair<const char*, double ingest_stages::*>, 6> stage_fields = {{
    {"queued", &ingest_stages::queued},
    {"scoring", &ingest_stages::scoring},
    {"to_commit", &ingest_stages::to_commit},
    {"commit", &ingest_stages::commit},
    {"to_sync", &ingest_stages::to_sync},
    {"sync", &ingest_stages::sync},
}};

}  // namespace

metrics::metrics()
    : scoring_(histogram::latency_bounds()),
      commit_(histogram::latency_bounds()),
      stages_{histogram(histogram::latency_bounds()), histogram(histogram::latency_bounds()),
              histogram(histogram::latency_bounds()), histogram(histogram::latency_bounds()),
              histogram(histogram::latency_bounds()), histogram(histogram::latency_bounds())} {}

void metrics::observe_stages(const ingest_stages& t) {
    static_assert(stage_fields.size() == std::tuple_size_v<decltype(stages_)>,
                  "one histogram per stage label");
    for (std::size_t i = 0; i < stage_fields.size(); ++i) stages_[i].observe(t.*stage_fields[i].second);
}

void metrics::count_request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    auto& h = request_seconds_[route];
    if (!h) h = std::make_unique<histogram>(histogram::latency_bounds());
    h->observe(seconds);
}

void metrics::observe_commit(std::size_t batch, double seconds) {
    commit_.observe(seconds);
    committed_questions_ += batch;
    ++commits_;
}

void metrics::count_correction(std::string_view effect) {
    if (effect == "shifted") ++corrected_shifted_;
    else if (effect == "moved") ++corrected_moved_;
    else if (effect == "escalated") ++corrected_escalated_;
    else if (effect == "unsure") ++corrected_unsure_;
}

void metrics::render(std::string& out) const {
    {
        std::lock_guard lock(mutex_);
        append_family(out, "tribune_http_requests_total",
                      "HTTP requests by route pattern and status.", "counter");
        for (const auto& [key, n] : requests_)
            out += "tribune_http_requests_total{route=\"" + key.first + "\",status=\"" +
                   std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
        append_family(out, "tribune_http_request_seconds",
                      "Time from request read to response queued.", "histogram");
        for (const auto& [route, h] : request_seconds_)
            h->render(out, "tribune_http_request_seconds", "route=\"" + route + "\"");
    }
    append_family(out, "tribune_scoring_seconds", "Classifier time per question.", "histogram");
    scoring_.render(out, "tribune_scoring_seconds", "");
    append_family(out, "tribune_commit_seconds", "Time of one group commit.", "histogram");
    commit_.render(out, "tribune_commit_seconds", "");
    append_family(out, "tribune_ingest_stage_seconds",
                  "Where each stored question's time went between its POST being read and its "
                  "answer, by stage: queued (for a scoring worker), scoring, to_commit (scored, "
                  "waiting for its group commit), commit, to_sync (committed, waiting for the "
                  "fsync that covers it), sync.",
                  "histogram");
    for (std::size_t i = 0; i < stages_.size(); ++i)
        stages_[i].render(out, "tribune_ingest_stage_seconds",
                          std::string("stage=\"") + stage_fields[i].first + "\"");
    append_sample_family(out, "tribune_group_commits_total", "Group commits of scored questions.",
                         "counter", commits_.load());
    append_sample_family(out, "tribune_committed_questions_total",
                         "Questions passed to group commits.", "counter",
                         committed_questions_.load());
    append_family(out, "tribune_event_correction_questions_total",
                  "New questions triaged with their event's correction learned from its moderators, "
                  "by effect: shifted (same status), moved (another status), escalated (to review), "
                  "unsure (auto-decided on a guess while its group is small).",
                  "counter");
    out += "tribune_event_correction_questions_total{effect=\"shifted\"} " +
           std::to_string(corrected_shifted_.load()) + "\n";
    out += "tribune_event_correction_questions_total{effect=\"moved\"} " +
           std::to_string(corrected_moved_.load()) + "\n";
    out += "tribune_event_correction_questions_total{effect=\"escalated\"} " +
           std::to_string(corrected_escalated_.load()) + "\n";
    out += "tribune_event_correction_questions_total{effect=\"unsure\"} " +
           std::to_string(corrected_unsure_.load()) + "\n";
}

}  // namespace tribune::server

#include "server/ops/metrics.hpp"

namespace tribune::server {

metrics::metrics() : scoring_(histogram::latency_bounds()), commit_(histogram::latency_bounds()) {}

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

void metrics::render(std::string& out) const {
    {
        std::lock_guard lock(mutex_);
        out += "# HELP tribune_http_requests_total HTTP requests by route pattern and status.\n";
        out += "# TYPE tribune_http_requests_total counter\n";
        for (const auto& [key, n] : requests_)
            out += "tribune_http_requests_total{route=\"" + key.first + "\",status=\"" +
                   std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
        out += "# HELP tribune_http_request_seconds Time from request read to response queued.\n";
        out += "# TYPE tribune_http_request_seconds histogram\n";
        for (const auto& [route, h] : request_seconds_)
            h->render(out, "tribune_http_request_seconds", "route=\"" + route + "\"");
    }
    out += "# HELP tribune_scoring_seconds Classifier time per question.\n";
    out += "# TYPE tribune_scoring_seconds histogram\n";
    scoring_.render(out, "tribune_scoring_seconds", "");
    out += "# HELP tribune_commit_seconds Time of one group commit.\n";
    out += "# TYPE tribune_commit_seconds histogram\n";
    commit_.render(out, "tribune_commit_seconds", "");
    out += "# HELP tribune_group_commits_total Group commits of scored questions.\n";
    out += "# TYPE tribune_group_commits_total counter\n";
    out += "tribune_group_commits_total " + std::to_string(commits_.load()) + "\n";
    out += "# HELP tribune_committed_questions_total Questions passed to group commits.\n";
    out += "# TYPE tribune_committed_questions_total counter\n";
    out += "tribune_committed_questions_total " + std::to_string(committed_questions_.load()) + "\n";
}

}  // namespace tribune::server

#pragma once
// metrics: the server's counters and histograms, rendered in the Prometheus text format.
//
// Thread safety: all methods are safe to call concurrently.

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/service/service_options.hpp"
#include "server/ops/histogram.hpp"

namespace tribune::server {

class metrics {
public:
    metrics();

    // `route` is the route pattern (e.g. "/api/v1/events/{slug}/questions"), never the raw
    // target, so label cardinality stays bounded.
    void count_request(const std::string& route, unsigned status, double seconds);
    void observe_scoring(double seconds) { scoring_.observe(seconds); }
    void observe_commit(std::size_t batch, double seconds);
    // Where a stored question's time went inside the ingest pipeline (ingest_stages).
    void observe_stages(const ingest_stages& t);
    // A question triaged with its event's learned correction: effect "shifted", "moved" or
    // "escalated" or "unsure" (service_options::on_corrected); anything else is not counted.
    void count_correction(std::string_view effect);

    // Appends everything this object owns; gauges from elsewhere are added by the caller.
    void render(std::string& out) const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;  // GUARDED_BY(mutex_)
    std::map<std::string, std::unique_ptr<histogram>> request_seconds_;   // GUARDED_BY(mutex_)
    histogram scoring_;
    histogram commit_;
    // One per ingest_stages member, in the order of stage_fields (metrics.cpp).
    std::array<histogram, 6> stages_;
    std::atomic<std::uint64_t> committed_questions_{0};
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> corrected_shifted_{0};
    std::atomic<std::uint64_t> corrected_moved_{0};
    std::atomic<std::uint64_t> corrected_escalated_{0};
    std::atomic<std::uint64_t> corrected_unsure_{0};
};

}  // namespace tribune::server

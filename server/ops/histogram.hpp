#pragma once
// histogram: a Prometheus-style cumulative histogram with fixed bucket bounds (seconds).
//
// Thread safety: observe() and render() may be called concurrently (one small mutex).

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace tribune::server {

class histogram {
public:
    explicit histogram(std::vector<double> bounds);
    void observe(double value);
    // Appends the _bucket, _sum and _count lines. `labels` is either empty or like `route="x"`.
    void render(std::string& out, const std::string& name, const std::string& labels) const;

    static std::vector<double> latency_bounds();  // 50 µs .. 10 s

private:
    const std::vector<double> bounds_;
    mutable std::mutex mutex_;
    std::vector<std::uint64_t> counts_;  // GUARDED_BY(mutex_), one per bound, not cumulative
    std::uint64_t total_ = 0;            // GUARDED_BY(mutex_)
    double sum_ = 0;                     // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

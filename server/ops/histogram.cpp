#include "server/ops/histogram.hpp"

#include <algorithm>
#include <cstdio>

namespace tribune::server {

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size(), 0) {}

std::vector<double> histogram::latency_bounds() {
    return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025,   0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   10.0};
}

void histogram::observe(double value) {
    auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
    std::lock_guard lock(mutex_);
    if (it != bounds_.end()) ++counts_[static_cast<std::size_t>(it - bounds_.begin())];
    ++total_;
    sum_ += value;
}

void histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    std::lock_guard lock(mutex_);
    const std::string sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    char buf[64];
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        cumulative += counts_[i];
        std::snprintf(buf, sizeof buf, "%g", bounds_[i]);
        out += name + "_bucket{" + labels + sep + "le=\"" + buf + "\"} " +
               std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(total_) + "\n";
    std::snprintf(buf, sizeof buf, "%.9g", sum_);
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out += name + "_sum" + braces + " " + buf + "\n";
    out += name + "_count" + braces + " " + std::to_string(total_) + "\n";
}

}  // namespace tribune::server

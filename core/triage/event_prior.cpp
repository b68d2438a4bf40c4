#include "core/triage/event_prior.hpp"

#include <algorithm>
#include <cmath>

namespace tribune {
namespace {

constexpr float bin_width = 0.125f;
constexpr float lowest_logit = -8.0f;

float logit_of(float p) { return std::log(p / (1.0f - p)); }

}  // namespace

event_prior::event_prior(event_prior_options o)
    : options_(o), ring_(std::max<std::uint32_t>(1, o.window), 0), estimate_(o.reference_prior) {
    options_.window = static_cast<std::uint32_t>(ring_.size());
}

int event_prior::bin_of(float p) {
    p = std::clamp(p, 1e-6f, 1.0f - 1e-6f);
    const float b = std::round((logit_of(p) - lowest_logit) / bin_width);
    return static_cast<int>(std::clamp(b, 0.0f, static_cast<float>(bins - 1)));
}

void event_prior::observe(float toxicity) {
    if (std::isnan(toxicity)) return;
    const int b = bin_of(toxicity);
    if (observed_ >= ring_.size()) --counts_[ring_[next_]];  // the oldest score leaves
    ring_[next_] = static_cast<std::uint8_t>(b);
    ++counts_[static_cast<std::size_t>(b)];
    next_ = (next_ + 1) % ring_.size();
    ++observed_;
    if (++since_estimate_ >= options_.every || observed_ == options_.min_questions) reestimate();
}

float event_prior::solve(const std::array<std::uint32_t, bins>& counts, std::uint64_t n, float pi0,
                         int iterations) {
    if (n == 0) return pi0;
    double pi = pi0;
    for (int it = 0; it < iterations; ++it) {
        const double r = pi / pi0, s = (1.0 - pi) / (1.0 - pi0);
        double sum = 0.0;
        for (int b = 0; b < bins; ++b) {
            if (counts[static_cast<std::size_t>(b)] == 0) continue;
            const double p = 1.0 / (1.0 + std::exp(-(lowest_logit + bin_width * b)));
            sum += counts[static_cast<std::size_t>(b)] * (r * p / (r * p + s * (1.0 - p)));
        }
        const double next = std::clamp(sum / static_cast<double>(n), 1e-4, 1.0 - 1e-4);
        if (std::fabs(next - pi) < 1e-6) {
            pi = next;
            break;
        }
        pi = next;
    }
    return static_cast<float>(pi);
}

float event_prior::estimate_share(const std::vector<float>& scores, float reference_prior, int iterations) {
    std::array<std::uint32_t, bins> counts{};
    std::uint64_t n = 0;
    for (float p : scores) {
        if (std::isnan(p)) continue;
        ++counts[static_cast<std::size_t>(bin_of(p))];
        ++n;
    }
    return solve(counts, n, reference_prior, iterations);
}

void event_prior::reestimate() {
    since_estimate_ = 0;
    if (observed_ < options_.min_questions) return;
    const std::uint64_t n = std::min<std::uint64_t>(observed_, ring_.size());
    estimate_ = solve(counts_, n, options_.reference_prior, options_.iterations);
    const float shift = logit_of(estimate_) - logit_of(options_.reference_prior);
    shift_ = std::clamp(shift, 0.0f, options_.max_shift);
}

}  // namespace tribune

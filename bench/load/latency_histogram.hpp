#pragma once
// latency_histogram: counts of durations in microseconds, log-linear buckets (64 per power of
// two, so a percentile is exact to about 1.6 %), from 1 µs to about 70 minutes.
//
// Thread safety: record() may be called from any thread concurrently (relaxed atomics);
// percentile() and count() read a consistent-enough view once recording has stopped.

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>

namespace tribune::bench {

class latency_histogram {
  public:
    static constexpr int sub_bits = 6;  // 64 buckets per power of two
    static constexpr int powers = 33;   // up to 2^32 µs

    void record(std::int64_t micros) {
        if (micros < 0) micros = 0;
        buckets_[index_of(static_cast<std::uint64_t>(micros))].fetch_add(1, std::memory_order_relaxed);
        count_.fetch_add(1, std::memory_order_relaxed);
        std::int64_t m = max_.load(std::memory_order_relaxed);
        while (micros > m && !max_.compare_exchange_weak(m, micros, std::memory_order_relaxed)) {
        }
    }

    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    std::int64_t max() const { return max_.load(std::memory_order_relaxed); }

    // The smallest recorded value v such that at least p % of the values are <= v (the upper
    // edge of its bucket, clamped to the maximum). 0 when empty.
    std::int64_t percentile(double p) const {
        const std::uint64_t n = count();
        if (n == 0) return 0;
        auto want = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(n) + 0.5);
        if (want < 1) want = 1;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < buckets_.size(); ++i) {
            seen += buckets_[i].load(std::memory_order_relaxed);
            if (seen >= want) {
                const std::int64_t v = upper_of(i);
                return v < max() ? v : max();
            }
        }
        return max();
    }

  private:
    static std::size_t index_of(std::uint64_t v) {
        if (v < (1u << sub_bits)) return static_cast<std::size_t>(v);
        const int top = std::bit_width(v) - 1;  // >= sub_bits
        const int shift = top - sub_bits;
        const std::uint64_t sub = (v >> shift) & ((1u << sub_bits) - 1);
        const std::size_t i = static_cast<std::size_t>(shift + 1) * (1u << sub_bits) + sub;
        return i < bucket_count ? i : bucket_count - 1;
    }
    static std::int64_t upper_of(std::size_t i) {
        if (i < (1u << sub_bits)) return static_cast<std::int64_t>(i);
        const std::size_t shift = i / (1u << sub_bits) - 1;
        const std::uint64_t sub = i % (1u << sub_bits);
        return static_cast<std::int64_t>((((1u << sub_bits) + sub + 1) << shift) - 1);
    }

    static constexpr std::size_t bucket_count = std::size_t{powers} << sub_bits;
    std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::int64_t> max_{0};
};

}  // namespace tribune::bench

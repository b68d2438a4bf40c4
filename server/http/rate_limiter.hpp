#pragma once
// rate_limiter: token buckets keyed by client (an IP address or an access token id).
// Each key may make `rate` requests per second with bursts up to `burst`. The number of
// keys is capped: beyond it, the buckets that are full again (idle clients) are dropped,
// and if none is, the new key shares a single overflow bucket, so memory stays bounded
// under a flood of distinct addresses.
//
// Thread safety: allow() is safe from any thread (one mutex).

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tribune::server {

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;

    // rate <= 0 disables the limiter.
    rate_limiter(double rate, double burst, std::size_t max_keys = 100'000);

    // True when the request may proceed; otherwise `retry_after` is set (seconds, >= 1).
    bool allow(const std::string& key, int& retry_after, clock::time_point now = clock::now());

private:
    struct bucket {
        double tokens;
        clock::time_point last;
    };
    void refill(bucket& b, clock::time_point now) const;

    const double rate_;
    const double burst_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

#pragma once
// rate_limiter: token buckets keyed by client (an IP address or an access token id).
// Each key may make `rate` requests per second with bursts up to `burst`, or what its own rate
// says (an access token's quota, role.hpp token_quota). The number of
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

    struct rate {
        double per_second = 0;  // <= 0: unlimited
        double burst = 1;       // the bucket's size, >= 1
    };

    // per_second <= 0 disables the limiter (for keys without a rate of their own).
    rate_limiter(double per_second, double burst, std::size_t max_keys = 100'000);

    // True when the request may proceed; otherwise `retry_after` is set (seconds, >= 1).
    bool allow(const std::string& key, int& retry_after, clock::time_point now = clock::now());
    // The same, at a rate of the key's own. A key keeps one rate: REQUIRES the same `own` on
    // every call for one key.
    bool allow(const std::string& key, rate own, int& retry_after,
               clock::time_point now = clock::now());

private:
    struct bucket {
        double tokens;
        clock::time_point last;
        rate r;
    };
    static void refill(bucket& b, clock::time_point now);

    const rate default_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

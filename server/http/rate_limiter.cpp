#include "server/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tribune::server {

namespace {
const std::string overflow_key = "\x01overflow";
}

rate_limiter::rate_limiter(double per_second, double burst, std::size_t max_keys)
    : default_{per_second, std::max(1.0, burst)}, max_keys_(std::max<std::size_t>(max_keys, 2)) {}

void rate_limiter::refill(bucket& b, clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    if (elapsed > 0) {
        b.tokens = std::min(b.r.burst, b.tokens + elapsed * b.r.per_second);
        b.last = now;
    }
}

bool rate_limiter::allow(const std::string& key, int& retry_after, clock::time_point now) {
    return allow(key, default_, retry_after, now);
}

bool rate_limiter::allow(const std::string& key, rate own, int& retry_after,
                         clock::time_point now) {
    if (own.per_second <= 0) return true;
    own.burst = std::max(1.0, own.burst);
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) {
            for (auto i = buckets_.begin(); i != buckets_.end();) {
                refill(i->second, now);
                if (i->second.tokens >= i->second.r.burst && i->first != overflow_key)
                    i = buckets_.erase(i);
                else
                    ++i;
            }
        }
        const std::string& k = buckets_.size() >= max_keys_ ? overflow_key : key;
        it = buckets_.try_emplace(k, bucket{own.burst, now, own}).first;
    }
    bucket& b = it->second;
    refill(b, now);
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    retry_after = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / b.r.per_second)));
    return false;
}

}  // namespace tribune::server

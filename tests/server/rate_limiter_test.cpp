// rate_limiter as a unit: token buckets driven by explicit time points (refill, burst,
// retry_after, independent keys, the bounded key map under a flood of distinct keys).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "server/http/rate_limiter.hpp"

namespace tribune::server {
namespace {

using namespace std::chrono_literals;
using tp = rate_limiter::clock::time_point;

const tp t0 = tp{} + 1000s;

// Counts how many of `n` requests by `key` at `now` are allowed.
int allowed_of(rate_limiter& l, const std::string& key, int n, tp now) {
    int ok = 0;
    for (int i = 0; i < n; ++i) {
        int retry = -1;
        if (l.allow(key, retry, now)) ++ok;
    }
    return ok;
}

TEST(rate_limiter, a_new_key_gets_exactly_the_burst_then_is_refused) {
    rate_limiter l(1.0, 3.0);
    int retry = -1;
    EXPECT_TRUE(l.allow("a", retry, t0));
    EXPECT_TRUE(l.allow("a", retry, t0));
    EXPECT_TRUE(l.allow("a", retry, t0));
    EXPECT_EQ(retry, -1) << "retry_after is only set on a refusal";
    EXPECT_FALSE(l.allow("a", retry, t0));
    EXPECT_EQ(retry, 1);
}

// A key with a rate of its own (a token's quota): its own bucket size and refill, next to keys
// at the limiter's rate, and even when the limiter's own rate is off.
TEST(rate_limiter, a_key_with_its_own_rate_is_held_to_it) {
    rate_limiter l(0.0, 1.0);  // keys without a rate of their own: unlimited
    const rate_limiter::rate two_per_minute{2.0 / 60.0, 2.0};
    int retry = -1;
    EXPECT_TRUE(l.allow("quota", two_per_minute, retry, t0));
    EXPECT_TRUE(l.allow("quota", two_per_minute, retry, t0));
    EXPECT_FALSE(l.allow("quota", two_per_minute, retry, t0));
    EXPECT_EQ(retry, 30) << "one request refills in 30 s";
    EXPECT_FALSE(l.allow("quota", two_per_minute, retry, t0 + 29s));
    EXPECT_TRUE(l.allow("quota", two_per_minute, retry, t0 + 30s));
    EXPECT_EQ(allowed_of(l, "other", 1000, t0), 1000) << "the limiter's own rate is off";

    rate_limiter limited(1.0, 1.0);
    const rate_limiter::rate fast{100.0, 50.0};
    int ok = 0;
    for (int i = 0; i < 60; ++i) ok += limited.allow("fast", fast, retry, t0) ? 1 : 0;
    EXPECT_EQ(ok, 50) << "its own burst, not the limiter's";
    EXPECT_EQ(allowed_of(limited, "slow", 5, t0), 1);
}

TEST(rate_limiter, tokens_refill_at_the_rate_and_never_beyond_the_burst) {
    rate_limiter l(2.0, 4.0);
    EXPECT_EQ(allowed_of(l, "a", 10, t0), 4);
    // 0.5 s at 2/s: one token.
    EXPECT_EQ(allowed_of(l, "a", 10, t0 + 500ms), 1);
    // 0.25 s: half a token, not enough.
    EXPECT_EQ(allowed_of(l, "a", 10, t0 + 750ms), 0);
    // another 0.25 s completes it.
    EXPECT_EQ(allowed_of(l, "a", 10, t0 + 1000ms), 1);
    // An hour idle refills to the burst, not to 7200.
    EXPECT_EQ(allowed_of(l, "a", 100, t0 + 3600s), 4);
}

TEST(rate_limiter, retry_after_is_the_whole_seconds_until_one_token) {
    rate_limiter l(0.25, 1.0);  // one request per 4 s
    int retry = 0;
    ASSERT_TRUE(l.allow("a", retry, t0));
    ASSERT_FALSE(l.allow("a", retry, t0));
    EXPECT_EQ(retry, 4);
    ASSERT_FALSE(l.allow("a", retry, t0 + 2s));  // 0.5 tokens: 2 s to go
    EXPECT_EQ(retry, 2);
    ASSERT_FALSE(l.allow("a", retry, t0 + 3500ms));  // 0.875: 0.5 s, rounded up to 1
    EXPECT_EQ(retry, 1);
    EXPECT_TRUE(l.allow("a", retry, t0 + 4s));
}

TEST(rate_limiter, retry_after_is_at_least_one_second_for_fast_rates) {
    rate_limiter l(1000.0, 1.0);
    int retry = 0;
    ASSERT_TRUE(l.allow("a", retry, t0));
    ASSERT_FALSE(l.allow("a", retry, t0));
    EXPECT_EQ(retry, 1);
}

TEST(rate_limiter, time_going_backwards_grants_nothing) {
    rate_limiter l(1.0, 2.0);
    EXPECT_EQ(allowed_of(l, "a", 5, t0), 2);
    EXPECT_EQ(allowed_of(l, "a", 5, t0 - 10s), 0);
    EXPECT_EQ(allowed_of(l, "a", 5, t0 + 1s), 1);
}

TEST(rate_limiter, keys_have_independent_buckets) {
    rate_limiter l(1.0, 2.0);
    EXPECT_EQ(allowed_of(l, "t1", 5, t0), 2);
    EXPECT_EQ(allowed_of(l, "t2", 5, t0), 2) << "t1's exhaustion must not limit t2";
    EXPECT_EQ(allowed_of(l, "127.0.0.1", 5, t0), 2);
    EXPECT_EQ(allowed_of(l, "t1", 5, t0), 0);
}

TEST(rate_limiter, a_rate_of_zero_disables_it) {
    rate_limiter l(0.0, 1.0);
    EXPECT_EQ(allowed_of(l, "a", 10'000, t0), 10'000);
    rate_limiter negative(-1.0, 1.0);
    EXPECT_EQ(allowed_of(negative, "a", 100, t0), 100);
}

TEST(rate_limiter, a_burst_below_one_still_allows_one_request) {
    rate_limiter l(1.0, 0.0);
    EXPECT_EQ(allowed_of(l, "a", 5, t0), 1);
}

TEST(rate_limiter, beyond_max_keys_new_keys_share_one_overflow_bucket) {
    rate_limiter l(1.0, 1.0, 4);
    for (const char* k : {"a", "b", "c", "d"}) EXPECT_EQ(allowed_of(l, k, 2, t0), 1) << k;
    // The map is full of busy keys: newcomers share a single bucket (burst 1).
    EXPECT_EQ(allowed_of(l, "e", 1, t0), 1);
    EXPECT_EQ(allowed_of(l, "f", 1, t0), 0) << "f must share e's overflow bucket";
    EXPECT_EQ(allowed_of(l, "g", 1, t0), 0);
    // Known keys keep their own buckets.
    EXPECT_EQ(allowed_of(l, "a", 1, t0), 0);
}

TEST(rate_limiter, idle_full_buckets_are_dropped_to_make_room) {
    rate_limiter l(1.0, 1.0, 4);
    for (const char* k : {"a", "b", "c", "d"}) EXPECT_EQ(allowed_of(l, k, 1, t0), 1) << k;
    EXPECT_EQ(allowed_of(l, "e", 1, t0), 1);  // overflow
    // Ten seconds later every bucket is full again: the idle keys are dropped and new keys
    // get buckets of their own instead of the shared one.
    const tp later = t0 + 10s;
    EXPECT_EQ(allowed_of(l, "x", 2, later), 1);
    EXPECT_EQ(allowed_of(l, "y", 2, later), 1) << "y must not share x's bucket";
    EXPECT_EQ(allowed_of(l, "z", 2, later), 1);
}

TEST(rate_limiter, a_flood_of_distinct_keys_stays_bounded) {
    const std::size_t max_keys = 1000;
    rate_limiter l(1.0, 1.0, max_keys);
    int ok = 0;
    for (int i = 0; i < 20'000; ++i) {
        int retry = 0;
        if (l.allow("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), retry, t0))
            ++ok;
        else
            EXPECT_GE(retry, 1);
    }
    // max_keys own buckets, then one shared overflow bucket with a burst of 1.
    EXPECT_EQ(ok, static_cast<int>(max_keys) + 1);
    // A second flood, all buckets still empty: nothing new gets through.
    int again = 0;
    for (int i = 20'000; i < 25'000; ++i) {
        int retry = 0;
        if (l.allow("k" + std::to_string(i), retry, t0)) ++again;
    }
    EXPECT_EQ(again, 0);
}

}  // namespace
}  // namespace tribune::server

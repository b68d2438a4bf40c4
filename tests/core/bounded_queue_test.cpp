#include "core/util/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace tribune {
namespace {

TEST(bounded_queue, refuses_items_beyond_capacity) {
    bounded_queue<int> q(2);
    int a = 1, b = 2, c = 3;
    EXPECT_TRUE(q.try_push(a));
    EXPECT_TRUE(q.try_push(b));
    EXPECT_FALSE(q.try_push(c));
    EXPECT_EQ(c, 3);  // untouched on failure
    EXPECT_EQ(q.size(), 2u);
}

TEST(bounded_queue, pop_batch_takes_at_most_max_in_order) {
    bounded_queue<int> q(10);
    for (int i = 0; i < 5; ++i) {
        int v = i;
        ASSERT_TRUE(q.try_push(v));
    }
    EXPECT_EQ(q.pop_batch(3), (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(q.pop_batch(3), (std::vector<int>{3, 4}));
}

TEST(bounded_queue, close_drains_then_returns_empty_and_refuses_pushes) {
    bounded_queue<int> q(10);
    int v = 7;
    ASSERT_TRUE(q.try_push(v));
    q.close();
    int w = 8;
    EXPECT_FALSE(q.try_push(w));
    EXPECT_EQ(q.pop_batch(10), std::vector<int>{7});
    EXPECT_TRUE(q.pop_batch(10).empty());
}

TEST(bounded_queue, close_wakes_a_blocked_consumer) {
    bounded_queue<int> q(1);
    std::vector<int> got{1};
    std::thread consumer([&] { got = q.pop_batch(4); });
    q.close();
    consumer.join();
    EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace tribune

#include "core/service/event_id_cache.hpp"

#include <gtest/gtest.h>

#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

// A store that counts its event lookups.
class event_counting_store : public memory_store {
public:
    result<event_info> find_event(const std::string& slug) override {
        ++lookups;
        return memory_store::find_event(slug);
    }
    int lookups = 0;
};

TEST(event_id_cache, reads_a_known_event_from_the_store_once) {
    event_counting_store store;
    auto made = store.create_event({"town-hall", "Town hall", false});
    ASSERT_TRUE(made.is_ok());
    event_id_cache cache;
    for (int i = 0; i < 3; ++i) {
        auto ev = cache.find_or_load("town-hall", store);
        ASSERT_TRUE(ev.is_ok());
        EXPECT_EQ(ev->id, made->id);
        EXPECT_EQ(ev->slug, "town-hall");
    }
    EXPECT_EQ(store.lookups, 1);
}

TEST(event_id_cache, does_not_remember_an_unknown_slug_so_a_later_event_is_found) {
    event_counting_store store;
    event_id_cache cache;
    auto missing = cache.find_or_load("later", store);
    ASSERT_FALSE(missing.is_ok());
    EXPECT_EQ(missing.error().code(), "event_not_found");
    EXPECT_EQ(cache.size(), 0u);
    auto made = store.create_event({"later", "Later", false});
    ASSERT_TRUE(made.is_ok());
    auto found = cache.find_or_load("later", store);
    ASSERT_TRUE(found.is_ok());
    EXPECT_EQ(found->id, made->id);
    EXPECT_EQ(store.lookups, 2);
}

TEST(event_id_cache, empties_itself_when_full_and_keeps_answering) {
    event_counting_store store;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.create_event({"e" + std::to_string(i), "E", false}).is_ok());
    event_id_cache cache(2);
    ASSERT_TRUE(cache.find_or_load("e0", store).is_ok());
    ASSERT_TRUE(cache.find_or_load("e1", store).is_ok());
    EXPECT_EQ(cache.size(), 2u);
    ASSERT_TRUE(cache.find_or_load("e2", store).is_ok());
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_FALSE(cache.find("e0").has_value());
    EXPECT_EQ(cache.find_or_load("e0", store)->slug, "e0");
    EXPECT_EQ(store.lookups, 4);
}

}  // namespace
}  // namespace tribune

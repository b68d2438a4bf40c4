// The gauge's numbers (stats_service) over the in-memory store: dense buckets by arrival time,
// the attribute means and shares, the separating words by the documented log-odds ratio
// with its prior, and what a public-only reader gets.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "core/service/stats_service.hpp"
#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

// The in-memory store with the arrival times a test chooses (stores stamp their own).
class timed_store final : public memory_store {
public:
    status scan_questions(std::int64_t event_id,
                          const std::function<void(const question&)>& f) override {
        return memory_store::scan_questions(event_id, [&](const question& q) {
            question shifted = q;
            shifted.created_at = at.at(q.id);
            f(shifted);
        });
    }
    std::map<std::int64_t, timestamp_ms> at;
};

class stats_service_test : public ::testing::Test {
protected:
    void SetUp() override { demo_ = db_.find_event("demo").value(); }

    void add(const std::string& text, question_status st, timestamp_ms at, float insult = 0.0f,
             const std::string& lang = "en") {
        question_insert in;
        in.q.event_id = demo_.id;
        in.q.text = text;
        in.q.status = st;
        in.q.created_at = at;
        in.q.scored.lang = lang;
        in.q.scored.values[attribute::insult] = insult;
        in.search_text = text;
        auto r = db_.insert_batch({in});
        ASSERT_TRUE(r.is_ok());
        db_.at[r->front().stored.id] = at;
    }

    timed_store db_;
    event_info demo_;
    stats_service gauge_{db_, db_};
};

TEST_F(stats_service_test, buckets_are_dense_and_count_each_state_and_attribute) {
    const timestamp_ms t0 = 1'699'999'980'000;  // a whole minute
    add("first", question_status::approved, t0 + 1'000, 0.9f);
    add("second", question_status::pending, t0 + 59'999, 0.1f);
    add("third", question_status::auto_rejected, t0 + 180'000, 0.6f, "fr");
    stats_query q;
    q.event_slug = "demo";
    auto s = gauge_.compute(q);
    ASSERT_TRUE(s.is_ok()) << s.error().message();
    ASSERT_EQ(s->arrivals.size(), 4u);  // minutes 0, 1, 2, 3: empty ones included
    EXPECT_EQ(*s->first_bucket_start, t0);
    EXPECT_EQ(s->arrivals[0].total(), 2);
    EXPECT_EQ(s->arrivals[1].total(), 0);
    EXPECT_EQ(s->arrivals[3].by_status[3], 1);  // auto_rejected, as all_statuses orders it
    const auto insult = static_cast<std::size_t>(attribute::insult);
    EXPECT_NEAR(s->attributes[0].mean[insult], 0.5, 1e-6);
    EXPECT_EQ(s->attributes[0].over[insult], 1);
    EXPECT_EQ(s->attributes[3].over[insult], 1);
    ASSERT_EQ(s->languages.size(), 2u);
    EXPECT_EQ(s->languages[0].lang, "en");
    EXPECT_EQ(s->languages[0].questions, 2);

    q.bucket_ms = 500;
    EXPECT_EQ(gauge_.compute(q).error().code(), "invalid_bucket");
    q.bucket_ms = 1'000;
    s = gauge_.compute(q);
    ASSERT_TRUE(s.is_ok());
    // 180 seconds of arrivals in one-second buckets: every bucket, under the cap.
    EXPECT_EQ(s->arrivals.size(), 180u);
    q.event_slug = "nope";
    EXPECT_EQ(gauge_.compute(q).error().code(), "event_not_found");
}

TEST_F(stats_service_test, only_the_last_max_buckets_are_kept) {
    add("old", question_status::approved, 0);
    add("new", question_status::approved, 10'000'000'000);
    stats_query q;
    q.event_slug = "demo";
    auto s = gauge_.compute(q);
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(s->arrivals.size(), stats_service::max_buckets);
    EXPECT_EQ(s->total, 2);
    EXPECT_EQ(s->arrivals.back().total(), 1);
}

TEST_F(stats_service_test, separating_words_follow_the_log_odds_ratio_with_its_prior) {
    for (int i = 0; i < 6; ++i) add("corrupt scandal minister", question_status::rejected, 0);
    for (int i = 0; i < 6; ++i) add("library budget minister", question_status::approved, 0);
    add("library hours", question_status::pending, 0);  // neither class: not counted
    stats_query q;
    q.event_slug = "demo";
    auto s = gauge_.compute(q);
    ASSERT_TRUE(s.is_ok());
    ASSERT_EQ(s->words_rejected.size(), 2u);  // corrupt, scandal; minister is even
    ASSERT_EQ(s->words_approved.size(), 2u);
    EXPECT_EQ(s->words_rejected[0].word, "corrupt");  // tie on z: alphabetical
    EXPECT_EQ(s->words_approved[0].word, "budget");
    EXPECT_EQ(s->words_approved[1].word, "library");
    EXPECT_EQ(s->words_approved[1].approved, 6);

    // By hand: 18 words counted in each class, "scandal" 6 times in rejected, 0 in approved.
    const double n = 18, a0 = stats_service::prior_strength, aw = a0 * 6.0 / 36.0;
    const double delta = std::log((6 + aw) / (n + a0 - 6 - aw)) - std::log((0 + aw) / (n + a0 - 0 - aw));
    const double z = delta / std::sqrt(1.0 / (6 + aw) + 1.0 / (0 + aw));
    EXPECT_NEAR(s->words_rejected[1].log_odds, delta, 1e-9);
    EXPECT_NEAR(s->words_rejected[1].z, z, 1e-9);
    EXPECT_NEAR(s->words_approved[0].z, -z, 1e-9);

    q.with_words = false;
    EXPECT_TRUE(gauge_.compute(q)->words_rejected.empty());
}

TEST_F(stats_service_test, a_public_only_reader_counts_public_questions_but_whole_groups) {
    add("shown", question_status::approved, 0);
    add("hidden", question_status::rejected, 0);
    stats_query q;
    q.event_slug = "demo";
    q.public_only = true;
    q.with_scores = false;
    auto s = gauge_.compute(q);
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(s->total, 1);
    EXPECT_TRUE(s->attributes.empty());
    ASSERT_EQ(s->groups.size(), 1u);
    EXPECT_EQ(s->groups[0].shown->text, "shown");
    EXPECT_EQ(s->languages[0].questions, 1);
}

}  // namespace
}  // namespace tribune

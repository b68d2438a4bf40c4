#include "core/service/external_id_filter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/question_service.hpp"
#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

TEST(external_id_filter, never_misses_an_identity_it_was_given) {
    external_id_filter f(std::size_t{1} << 20);
    for (int i = 0; i < 100000; ++i) f.add(1 + i % 3, i % 2 ? "tweets" : "", "id-" + std::to_string(i));
    for (int i = 0; i < 100000; ++i)
        ASSERT_TRUE(f.may_contain(1 + i % 3, i % 2 ? "tweets" : "", "id-" + std::to_string(i))) << i;
    EXPECT_EQ(f.added(), 100000u);
}

TEST(external_id_filter, answers_no_for_nearly_every_identity_it_was_not_given) {
    external_id_filter f(std::size_t{1} << 20);
    for (int i = 0; i < 100000; ++i) f.add(1, "tweets", "id-" + std::to_string(i));
    int maybe = 0;
    for (int i = 100000; i < 200000; ++i) maybe += f.may_contain(1, "tweets", "id-" + std::to_string(i));
    // 6 probes over 2^20 bits holding 100,000 identities: about 1 % false positives.
    EXPECT_LT(maybe, 2500);
    // The same external id in another event, or under another source, is another identity;
    // so is a different cut between source and external id.
    external_id_filter g;
    g.add(7, "ab", "c");
    EXPECT_TRUE(g.may_contain(7, "ab", "c"));
    EXPECT_FALSE(g.may_contain(8, "ab", "c"));
    EXPECT_FALSE(g.may_contain(7, "a", "bc"));
    EXPECT_FALSE(g.may_contain(7, "", "c"));
}

class ignoring_sink final : public event_sink {
public:
    void question_changed(const question_change&) override {}
};

// A store that counts its idempotency lookups.
class lookup_counting_store : public memory_store {
public:
    result<std::optional<question>> find_external(std::int64_t event_id, const std::string& source,
                                                  const std::string& external_id) override {
        ++lookups;
        return memory_store::find_external(event_id, source, external_id);
    }
    std::atomic<int> lookups{0};
};

result<submit_outcome> submit_identified(question_service& service, const std::string& text, const std::string& id) {
    std::promise<result<submit_outcome>> done;
    auto fut = done.get_future();
    submission s;
    s.event_slug = "demo";
    s.text = text;
    s.source = "tweets";
    s.external_id = id;
    status st = service.submit(std::move(s), [&](result<submit_outcome> r) { done.set_value(std::move(r)); });
    if (!st) return st;
    return fut.get();
}

class filtered_ingest : public ::testing::Test {
protected:
    void start() {
        service_ = std::make_unique<question_service>(db_, model_, sink_, options_);
        ASSERT_TRUE(service_->start().is_ok());
    }
    void TearDown() override {
        if (service_) service_->stop();
    }
    // Submits `text` as `id` again and expects question `stored_id` back (nothing created),
    // with `lookups` store lookups by then.
    void expect_stored_answer(const std::string& text, const std::string& id, std::int64_t stored_id,
                              int lookups) {
        auto again = submit_identified(*service_, text, id);
        ASSERT_TRUE(again.is_ok()) << again.error().message();
        EXPECT_FALSE(again->created);
        EXPECT_EQ(again->q.id, stored_id);
        EXPECT_EQ(db_.lookups.load(), lookups);
    }
    lookup_counting_store db_;
    placeholder_classifier model_;
    ignoring_sink sink_;
    service_options options_;
    std::unique_ptr<question_service> service_;
};

TEST_F(filtered_ingest, a_new_identity_is_not_looked_up_and_a_retry_is_answered_with_the_stored_question) {
    start();
    auto first = submit_identified(*service_, "When will fees fall?", "t-1");
    ASSERT_TRUE(first.is_ok()) << first.error().message();
    EXPECT_TRUE(first->created);
    EXPECT_EQ(db_.lookups.load(), 0);
    expect_stored_answer("When will fees fall?", "t-1", first->q.id, 1);
}

TEST_F(filtered_ingest, identities_stored_before_the_start_are_known_at_once) {
    start();
    auto first = submit_identified(*service_, "Will the branch in Lyon stay open?", "t-9");
    ASSERT_TRUE(first.is_ok());
    service_->stop();
    service_.reset();
    // A new service over the same store (a restart) reads the stored identities.
    start();
    expect_stored_answer("Will the branch in Lyon stay open?", "t-9", first->q.id, 1);
}

TEST_F(filtered_ingest, an_identity_stored_behind_the_filters_back_is_caught_by_the_store) {
    // Another process writing to the same database (tribune import beside a running server, a
    // second instance on PostgreSQL) stores identities this pipeline's filter never saw.
    start();
    question_insert row;
    row.q.event_id = db_.find_event("demo")->id;
    row.q.text = "Why did the fees rise in May?";
    row.q.source = "tweets";
    row.q.external_id = "t-42";
    row.q.status = question_status::approved;
    row.q.scored.lang = "en";
    row.search_text = "why did the fees rise in may?";
    auto stored = db_.insert_batch({row});
    ASSERT_TRUE(stored.is_ok()) << stored.error().message();
    const std::int64_t id = stored->front().stored.id;

    // Not looked up first: the commit's unique identity catches it.
    expect_stored_answer("Why did the fees rise in May?", "t-42", id, 0);
    auto counts = db_.count_by_status(row.q.event_id);
    ASSERT_TRUE(counts.is_ok());
    int total = 0;
    for (const auto& [st, n] : *counts) total += static_cast<int>(n);
    EXPECT_EQ(total, 1);
    // The identity is known now: a further retry is looked up and answered the same way.
    expect_stored_answer("Why did the fees rise in May?", "t-42", id, 1);
}

}  // namespace
}  // namespace tribune

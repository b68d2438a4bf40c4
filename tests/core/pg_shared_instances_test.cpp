// What several Tribune instances on one PostgreSQL database share through the store (issue
// 15): the numbering of every event's changes (pg_change_listener, migration 0004) and the
// claim of a webhook delivery, so that two instances never attempt the same one at once. Two
// stores opened on one fresh database of the test cluster stand for two instances.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/postgres/postgres_store.hpp"
#include "core/text/prepared_text.hpp"
#include "core/util/wall_clock.hpp"
#include "tests/postgres/test_postgres.hpp"

namespace tribune {
namespace {

// Records what a change source delivers.
class recording_sink final : public numbered_sink {
public:
    void question_changed(const question_change& c, std::uint64_t seq) override {
        std::lock_guard lock(mutex_);
        seqs_.push_back(seq);
        ids_.push_back(c.q.id);
        std::string state(c.from ? to_string(*c.from) : "-");
        state += '>';
        state += to_string(c.q.status);
        state += '@';
        state += std::to_string(c.q.version);
        states_.push_back(std::move(state));
        cv_.notify_all();
    }
    void shortlist_changed(const shortlist_change& c, std::uint64_t seq) override {
        std::lock_guard lock(mutex_);
        seqs_.push_back(seq);
        ids_.push_back(-c.question_id);
        cv_.notify_all();
    }
    // The numbers delivered once `n` changes were (or what came within a generous bound).
    std::vector<std::uint64_t> wait_for(std::size_t n) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(20), [&] { return seqs_.size() >= n; });
        return seqs_;
    }
    std::vector<std::int64_t> ids() {
        std::lock_guard lock(mutex_);
        return ids_;
    }
    // Each question change as "from>state@version" ("-" for a new question).
    std::vector<std::string> states() {
        std::lock_guard lock(mutex_);
        return states_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::uint64_t> seqs_;
    std::vector<std::int64_t> ids_;
    std::vector<std::string> states_;
};

class pg_shared_instances : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        const std::string url = testing::fresh_postgres_database(&why);
        if (url.empty()) GTEST_SKIP() << why;
        for (auto* s : {&a_, &b_}) {
            auto opened = postgres_store::open(url, TRIBUNE_SOURCE_DIR "/migrations/postgresql");
            ASSERT_TRUE(opened.is_ok()) << opened.error().message();
            *s = std::move(opened).value();
        }
        demo_ = a_->find_event("demo").value();
    }
    question insert(postgres_store& s, const std::string& text) {
        question_insert in;
        in.q.event_id = demo_.id;
        in.q.text = text;
        in.q.status = question_status::pending;
        in.q.scored.lang = "en";
        in.search_text = prepare_text(text)->normal.text;
        auto r = s.insert_batch({in});
        EXPECT_TRUE(r.is_ok()) << r.error().message();
        return r ? r->front().stored : question{};
    }

    std::unique_ptr<postgres_store> a_, b_;
    event_info demo_;
};

TEST_F(pg_shared_instances, every_change_is_numbered_once_per_event_and_none_is_skipped) {
    auto source = b_->open_change_source();
    ASSERT_NE(source, nullptr);
    ASSERT_TRUE(source->open().is_ok());
    EXPECT_FALSE(source->epoch().empty());
    std::uint64_t at = 0;
    for (const auto& [slug, seq] : source->positions())
        if (slug == "demo") at = seq;
    // Committed by both "instances" before the source starts: delivered all the same.
    const question first = insert(*a_, "Committed on A before B listens?");
    const question second = insert(*b_, "Committed on B itself?");
    decision_request d;
    d.question_id = first.id;
    d.to = question_status::approved;
    d.action = "approve";
    d.actor = "alice";
    d.expected_version = first.version;
    ASSERT_TRUE(a_->apply_decision(d).is_ok());
    recording_sink sink;
    ASSERT_TRUE(source->start(sink).is_ok());
    const question third = insert(*a_, "Committed on A while B listens?");
    shortlist_change listed;
    listed.event = "demo";
    listed.action = "added";
    listed.question_id = first.id;
    ASSERT_TRUE(source->announce(listed).is_ok());

    const auto seqs = sink.wait_for(5);
    source->stop();
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{at + 1, at + 2, at + 3, at + 4, at + 5}));
    EXPECT_EQ(sink.ids(),
              (std::vector<std::int64_t>{first.id, second.id, first.id, third.id, -first.id}));
    // The first question was approved before B read its creation back: the creation is still
    // delivered as what it made (pending, version 1), the decision as pending -> approved.
    EXPECT_EQ(sink.states(), (std::vector<std::string>{"->pending@1", "->pending@1",
                                                       "pending>approved@2", "->pending@1"}));

    // Another source opened now starts after all of them, with the same epoch.
    auto again = a_->open_change_source();
    ASSERT_TRUE(again->open().is_ok());
    EXPECT_EQ(again->epoch(), source->epoch());
    for (const auto& [slug, seq] : again->positions())
        if (slug == "demo") EXPECT_EQ(seq, at + 5);
}

// Two instances commit batches of one event at the same time, each batch with retries of
// its own items and of the other instance's: every identity is stored once (one of all its
// outcomes says "inserted", all name the same question), every stored question's change is
// numbered once, and the numbers run on with no gap and none twice.
TEST_F(pg_shared_instances, concurrent_batches_store_each_identity_once_and_number_without_gaps) {
    auto source = b_->open_change_source();
    ASSERT_NE(source, nullptr);
    ASSERT_TRUE(source->open().is_ok());
    std::uint64_t at = 0;
    for (const auto& [slug, seq] : source->positions())
        if (slug == "demo") at = seq;
    recording_sink sink;
    ASSERT_TRUE(source->start(sink).is_ok());

    constexpr int rounds = 12, per_batch = 8;
    // Batch r of instance i: identities r*per_batch + k, k < per_batch — the same for both
    // instances — with item k+1 retrying item k's identity when k is even.
    auto batch_of = [&](int r, const std::string& instance) {
        std::vector<question_insert> batch;
        for (int k = 0; k < per_batch; ++k) {
            const int identity = r * per_batch + (k % 2 == 1 ? k - 1 : k);
            question_insert in;
            in.q.event_id = demo_.id;
            in.q.text = "Question " + std::to_string(identity) + " from " + instance + "?";
            in.q.status = question_status::pending;
            in.q.scored.lang = "en";
            in.q.source = "form";
            in.q.external_id = std::to_string(identity);
            in.search_text = prepare_text(in.q.text)->normal.text;
            if (k == 1) in.group = group_choice::join_item(0);
            batch.push_back(std::move(in));
        }
        return batch;
    };
    std::vector<insert_outcome> on_a, on_b;
    auto run = [&](postgres_store& s, const std::string& name, std::vector<insert_outcome>& out) {
        for (int r = 0; r < rounds; ++r) {
            auto done = s.insert_batch(batch_of(r, name));
            ASSERT_TRUE(done.is_ok()) << done.error().message();
            out.insert(out.end(), done->begin(), done->end());
        }
    };
    std::thread ta([&] { run(*a_, "A", on_a); });
    std::thread tb([&] { run(*b_, "B", on_b); });
    ta.join();
    tb.join();
    ASSERT_EQ(on_a.size(), std::size_t{rounds * per_batch});
    ASSERT_EQ(on_b.size(), std::size_t{rounds * per_batch});

    std::map<std::string, std::set<std::int64_t>> ids_of;  // identity -> question ids answered
    std::map<std::string, int> inserted_of;
    std::vector<std::int64_t> stored;
    for (const auto* side : {&on_a, &on_b})
        for (const insert_outcome& o : *side) {
            ids_of[*o.stored.external_id].insert(o.stored.id);
            if (o.inserted) {
                ++inserted_of[*o.stored.external_id];
                stored.push_back(o.stored.id);
            }
        }
    const std::size_t identities = rounds * per_batch / 2;
    ASSERT_EQ(ids_of.size(), identities);
    for (const auto& [identity, ids] : ids_of) {
        EXPECT_EQ(ids.size(), 1u) << "identity " << identity << " stored as several questions";
        EXPECT_EQ(inserted_of[identity], 1) << "identity " << identity;
    }
    EXPECT_EQ(a_->count_by_status(demo_.id)->at(question_status::pending),
              static_cast<std::int64_t>(identities));

    const auto seqs = sink.wait_for(identities);
    source->stop();
    std::vector<std::uint64_t> expected;
    for (std::uint64_t n = 1; n <= identities; ++n) expected.push_back(at + n);
    EXPECT_EQ(seqs, expected) << "numbers delivered out of order, twice, or with a gap";
    auto announced = sink.ids();
    std::sort(announced.begin(), announced.end());
    std::sort(stored.begin(), stored.end());
    EXPECT_EQ(announced, stored) << "each stored question is announced once";
    auto again = a_->open_change_source();
    ASSERT_TRUE(again->open().is_ok());
    for (const auto& [slug, seq] : again->positions())
        if (slug == "demo") EXPECT_EQ(seq, at + identities);
}

TEST_F(pg_shared_instances, a_claimed_webhook_delivery_is_not_handed_to_another_instance) {
    new_webhook w;
    w.event_id = demo_.id;
    w.url = "http://127.0.0.1:9/hook";
    w.secret = "whsec_test";
    w.events = {"question.created"};
    w.created_by = "admin";
    w.created_at = wall_clock_ms();
    auto hook = a_->create_webhook(w);
    ASSERT_TRUE(hook.is_ok()) << hook.error().message();
    insert(*a_, "Owed to the hook?");
    const timestamp_ms now = wall_clock_ms() + 1;

    auto on_a = a_->due_deliveries(now, {}, 10);
    auto on_b = b_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(on_a.is_ok() && on_b.is_ok());
    ASSERT_EQ(on_a->size(), 1u) << "the owed delivery is due";
    EXPECT_TRUE(on_b->empty()) << "B was handed the delivery A is attempting";

    // A's attempt failed and is recorded: the claim is released, and the retry is due to
    // whichever instance asks first once its backoff has passed.
    attempt_record failed;
    failed.outbox_id = on_a->front().outbox_id;
    failed.log.hook_id = hook->id;
    failed.log.delivery_id = on_a->front().delivery_id;
    failed.log.type = on_a->front().type;
    failed.log.question_id = on_a->front().question_id;
    failed.log.attempt = 1;
    failed.log.at = now;
    failed.log.outcome = "failed";
    failed.hook_failures = 1;
    failed.hook_next_attempt_at = now;
    ASSERT_TRUE(a_->record_attempts({failed}).is_ok());
    auto retry = b_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(retry.is_ok());
    EXPECT_EQ(retry->size(), 1u) << "the released delivery is due again";
}

TEST_F(pg_shared_instances, a_claim_given_up_at_shutdown_is_due_at_once_on_another_instance) {
    new_webhook w;
    w.event_id = demo_.id;
    w.url = "http://127.0.0.1:9/hook";
    w.secret = "whsec_test";
    w.events = {"question.created"};
    w.created_by = "admin";
    w.created_at = wall_clock_ms();
    auto hook = a_->create_webhook(w);
    ASSERT_TRUE(hook.is_ok()) << hook.error().message();
    insert(*a_, "Owed when A stops?");
    const timestamp_ms now = wall_clock_ms() + 1;
    auto on_a = a_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(on_a.is_ok());
    ASSERT_EQ(on_a->size(), 1u);
    // A stops with the attempt in flight (webhook_dispatcher::stop): nothing is recorded, the
    // claim is given up, and B, asking at the same moment, is handed the delivery: it does not
    // wait for the claim to expire.
    ASSERT_TRUE(a_->release_claims({hook->id}).is_ok());
    auto on_b = b_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(on_b.is_ok());
    ASSERT_EQ(on_b->size(), 1u) << "the delivery A gave up is due on B at once";
    EXPECT_EQ(on_b->front().delivery_id, on_a->front().delivery_id) << "the same delivery";
}

}  // namespace
}  // namespace tribune

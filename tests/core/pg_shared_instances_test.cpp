// What several Tribune instances on one PostgreSQL database share through the store (issue
// 15): the numbering of every event's changes (pg_change_listener, migration 0004) and the
// claim of a webhook delivery, so that two instances never attempt the same one at once. Two
// stores opened on one fresh database of the test cluster stand for two instances.

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <functional>
#include <future>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/classify/linear_classifier.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/service/question_service.hpp"
#include "core/service/group_commit.hpp"
#include "core/text/prepared_text.hpp"
#include "core/util/wall_clock.hpp"
#include "tests/postgres/test_postgres.hpp"

namespace tribune {
namespace {

// Records what a change source delivers.
class numbered_recording_sink final : public numbered_sink {
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
    // A hook on demo, created through A, owed one delivery (a question inserted on A).
    webhook hook_owed_one(const std::string& text) {
        new_webhook w;
        w.event_id = demo_.id;
        w.url = "http://127.0.0.1:9/hook";
        w.secret = "whsec_test";
        w.events = {"question.created"};
        w.created_by = "admin";
        w.created_at = wall_clock_ms();
        auto hook = a_->create_webhook(w);
        EXPECT_TRUE(hook.is_ok()) << hook.error().message();
        insert(*a_, text);
        return hook ? *hook : webhook{};
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
    numbered_recording_sink sink;
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
        if (slug == "demo") {
            EXPECT_EQ(seq, at + 5);
        }
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
    numbered_recording_sink sink;
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
        if (slug == "demo") {
            EXPECT_EQ(seq, at + identities);
        }
}

// Feeds a group commit's index what a change source delivers, as the server's numbered_feed
// does; remembers the group each new question was announced with.
class index_feed final : public numbered_sink {
public:
    explicit index_feed(group_commit& g) : g_(g) {}
    void question_changed(const question_change& c, std::uint64_t seq) override {
        EXPECT_TRUE(g_.absorb(c, seq).is_ok());
        std::lock_guard lock(mutex_);
        if (c.kind == change_kind::created) announced_[c.q.id] = c.q.cluster_id;
        cv_.notify_all();
    }
    void shortlist_changed(const shortlist_change&, std::uint64_t) override {}
    // The group question `id` was announced with (0 when it was not within a generous bound).
    std::int64_t announced_group(std::int64_t id) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(20), [&] { return announced_.count(id) > 0; });
        auto it = announced_.find(id);
        return it == announced_.end() ? 0 : it->second;
    }

private:
    group_commit& g_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::int64_t, std::int64_t> announced_;
};

// One instance's group commit: its own near-duplicate index, as each `tribune serve` keeps.
std::unique_ptr<group_commit> instance_commit(postgres_store& s) {
    near_duplicate_index::options o;
    o.track_ids = true;  // what the server sets on a shared database
    auto g = std::make_unique<group_commit>(s, o);
    EXPECT_TRUE(g->load().is_ok());
    return g;
}

group_commit::item item_of(const group_commit& g, std::int64_t event_id, const std::string& text) {
    group_commit::item it;
    it.row.q.event_id = event_id;
    it.row.q.text = text;
    it.row.q.status = question_status::pending;
    it.row.q.scored.lang = "en";
    auto prepared = prepare_text(text);
    EXPECT_TRUE(prepared.is_ok());
    it.row.search_text = prepared->full.text;
    if (prepared->normal.text != prepared->full.text) it.row.group_text = prepared->normal.text;
    it.fp = g.fingerprint_of(prepared->normal.text);
    return it;
}

// Ten made-up words, different for every n: texts of different rounds share no word.
std::string sentence(int n) {
    std::string out;
    std::uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(n + 1);
    for (int w = 0; w < 10; ++w) {
        if (!out.empty()) out += ' ';
        for (int k = 0; k < 6; ++k) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            out += static_cast<char>('a' + (x >> 33) % 26);
        }
    }
    return out;
}

// The same text in capitals, shouted: a near-duplicate of it.
std::string shouted(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text + "!!";
}

// Two near-duplicates posted at the same moment to two instances: each instance plans its batch
// inside its transaction, after the event's numbering lock, with what the other committed
// before it (postgres_store::insert_planned_batch) — so the second joins the first's group,
// although neither instance's index had the other's question when the batches were formed.
// Each is announced with that group.
TEST_F(pg_shared_instances, near_duplicates_committed_at_once_on_two_instances_join_one_group) {
    auto ga = instance_commit(*a_);
    auto gb = instance_commit(*b_);
    index_feed feed_a(*ga), feed_b(*gb);
    auto source_a = a_->open_change_source();
    auto source_b = b_->open_change_source();
    ASSERT_TRUE(source_a->open().is_ok() && source_b->open().is_ok());
    ASSERT_TRUE(source_a->start(feed_a).is_ok() && source_b->start(feed_b).is_ok());

    // The same text twice on one instance: one group (the rule these texts meet).
    std::vector<group_commit::item> one{item_of(*ga, demo_.id, sentence(-1) + "?")};
    auto first = ga->run(one);
    std::vector<group_commit::item> two{item_of(*ga, demo_.id, shouted(sentence(-1)))};
    auto second = ga->run(two);
    ASSERT_TRUE(first.is_ok() && second.is_ok());
    ASSERT_TRUE(first->size() == 1 && second->size() == 1);
    ASSERT_EQ(second->front().stored.cluster_id, first->front().stored.cluster_id);

    constexpr int rounds = 40;
    std::vector<insert_outcome> on_a(rounds), on_b(rounds);
    std::barrier together(2);
    auto post = [&](group_commit& g, std::vector<insert_outcome>& out, bool shout) {
        for (int r = 0; r < rounds; ++r) {
            const std::string text = shout ? shouted(sentence(r)) : sentence(r) + "?";
            std::vector<group_commit::item> batch{item_of(g, demo_.id, text)};
            together.arrive_and_wait();
            auto done = g.run(batch);
            EXPECT_TRUE(done.is_ok()) << done.error().message();  // (no ASSERT: the other waits)
            if (done && done->size() == 1) out[r] = done->front();
        }
    };
    std::thread ta([&] { post(*ga, on_a, false); });
    std::thread tb([&] { post(*gb, on_b, true); });
    ta.join();
    tb.join();

    int apart = 0;
    for (int r = 0; r < rounds; ++r) {
        const question& qa = on_a[r].stored;
        const question& qb = on_b[r].stored;
        ASSERT_NE(qa.id, qb.id);
        if (qa.cluster_id != qb.cluster_id) {
            ++apart;
            continue;
        }
        // One started the group, the other joined it and counts it as two.
        EXPECT_TRUE(qa.cluster_id == qa.id || qa.cluster_id == qb.id) << "round " << r;
        EXPECT_EQ(std::max(qa.cluster_size, qb.cluster_size), 2) << "round " << r;
        // Both instances announce each question with that group.
        for (index_feed* f : {&feed_a, &feed_b}) {
            EXPECT_EQ(f->announced_group(qa.id), qa.cluster_id) << "round " << r;
            EXPECT_EQ(f->announced_group(qb.id), qb.cluster_id) << "round " << r;
        }
    }
    EXPECT_EQ(apart, 0) << "of " << rounds << " pairs posted at once, " << apart
                        << " stayed in two groups";
    source_a->stop();
    source_b->stop();
}

// A moderator's decision on one instance is inherited by a near-duplicate the other instance
// stores right after, before that instance has heard of the decision (nor of the question): its
// batch reads both under the event's numbering lock.
TEST_F(pg_shared_instances, a_group_decided_on_one_instance_is_inherited_on_the_other_at_once) {
    auto ga = instance_commit(*a_);
    auto gb = instance_commit(*b_);  // no change source: neither hears of the other's commits
    std::vector<group_commit::item> original{item_of(*gb, demo_.id, sentence(1000) + "?")};
    auto stored = gb->run(original);
    ASSERT_TRUE(stored.is_ok() && stored->size() == 1);
    const question q = stored->front().stored;
    decision_request d;
    d.question_id = q.id;
    d.to = question_status::rejected;
    d.action = "reject";
    d.actor = "alice";
    d.expected_version = q.version;
    ASSERT_TRUE(b_->apply_decision(d).is_ok());

    std::vector<group_commit::item> copy{item_of(*ga, demo_.id, shouted(sentence(1000)))};
    std::optional<group_decision> seen;
    group_choice joined;
    auto later = ga->run(copy, [&](std::vector<group_commit::item>&,
                                   const std::vector<group_commit::planned>& groups) {
        joined = groups.front().choice;
        seen = groups.front().decision;
    });
    ASSERT_TRUE(later.is_ok()) << later.error().message();
    ASSERT_EQ(later->size(), 1u);
    EXPECT_EQ(later->front().stored.cluster_id, q.cluster_id)
        << "the near-duplicate stored on A did not join the group B stored";
    EXPECT_EQ(joined, group_choice::join(q.cluster_id));
    ASSERT_TRUE(seen.has_value()) << "A planned without the group decision made on B";
    EXPECT_EQ(seen->outcome, question_status::rejected);
    EXPECT_EQ(seen->actor, "alice");
}

// Hands what a change source delivers to a question service, as the server's numbered_feed.
class service_feed final : public numbered_sink {
public:
    explicit service_feed(question_service& s) : s_(s) {}
    void question_changed(const question_change& c, std::uint64_t seq) override {
        (void)s_.absorb(c, seq);
    }
    void shortlist_changed(const shortlist_change&, std::uint64_t) override {}

private:
    question_service& s_;
};

class quiet_sink final : public event_sink {
public:
    void question_changed(const question_change&) override {}
};

// Two instances' question services (each its own learner, as each `tribune serve` has), with
// the shipped model; A hears the database's changes as a server does.
class pg_shared_learning : public pg_shared_instances {
protected:
    static void SetUpTestSuite() {
        auto m = linear_classifier::load(TRIBUNE_SOURCE_DIR "/models/toxicity.tlm");
        ASSERT_TRUE(m.is_ok()) << m.error().message();
        model_ = std::move(m.value()).release();
    }
    static void TearDownTestSuite() {
        delete model_;
        model_ = nullptr;
    }
    void start(std::chrono::milliseconds poll) {
        service_options o;
        o.shared_store = true;
        o.learning_poll = poll;
        on_a_ = std::make_unique<question_service>(*a_, *model_, sink_, o);
        on_b_ = std::make_unique<question_service>(*b_, *model_, sink_, o);
        ASSERT_TRUE(on_a_->start().is_ok() && on_b_->start().is_ok());
        feed_ = std::make_unique<service_feed>(*on_a_);
        source_ = a_->open_change_source();
        ASSERT_TRUE(source_->open().is_ok());
        ASSERT_TRUE(source_->start(*feed_).is_ok());
    }
    void TearDown() override {
        if (source_) source_->stop();
        if (on_a_) on_a_->stop();
        if (on_b_) on_b_->stop();
    }
    // Moderators on B reject questions calling the CEO a bloodsucker and approve pointed ones.
    void decide_on_b() {
        static const char* nouns[] = {"mortgages", "savings", "pensions", "paychecks", "homes",
                                      "farms",     "tuition", "rent",     "wages",     "dividends"};
        static const char* places[] = {"Detroit", "Cleveland", "Memphis", "Baltimore", "Newark",
                                       "Camden",  "Flint",     "Gary",    "Toledo",    "Akron"};
        std::vector<question_insert> batch;
        for (int i = 0; i < 20; ++i) {
            question_insert in;
            in.q.event_id = demo_.id;
            in.q.text = i % 2 == 0
                            ? std::string("Dimon the bloodsucker drains our ") + nouns[i / 2]
                            : std::string("Why do you keep closing branches in ") + places[i / 2] +
                                  " while paying huge bonuses?";
            in.q.status = question_status::pending;
            in.q.scored.lang = "en";
            in.search_text = prepare_text(in.q.text)->normal.text;
            batch.push_back(std::move(in));
        }
        auto stored = b_->insert_batch(batch);
        ASSERT_TRUE(stored.is_ok());
        for (std::size_t i = 0; i < stored->size(); ++i) {
            auto d = on_b_->decide({(*stored)[i].stored.id, i % 2 == 0 ? "reject" : "approve",
                                    "alice", "", {}});
            ASSERT_TRUE(d.is_ok()) << d.error().message();
        }
    }
    // A's correction in force (what its scoring applies now), once `done` holds for it, or as
    // it is after a generous bound. Never refreshes A itself.
    std::shared_ptr<const event_correction> a_correction_once(
        const std::function<bool(const event_correction*)>& done) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        auto c = on_a_->learning_service().correction_for(demo_.id);
        while (!done(c.get()) && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            c = on_a_->learning_service().correction_for(demo_.id);
        }
        return c;
    }

    static linear_classifier* model_;
    quiet_sink sink_;
    std::unique_ptr<question_service> on_a_, on_b_;
    std::unique_ptr<service_feed> feed_;
    std::unique_ptr<change_source> source_;
};

linear_classifier* pg_shared_learning::model_ = nullptr;

// Decisions recorded on B reach the correction A's scoring applies through the change stream
// (A's poll is an hour here): A refits from the same labels and publishes the same correction
// as B, and both report the same learning.
TEST_F(pg_shared_learning, decisions_made_on_one_instance_refit_the_others_correction) {
    start(std::chrono::hours(1));
    decide_on_b();
    auto on_b = on_b_->learning("demo");  // B's own, refreshed now
    ASSERT_TRUE(on_b.is_ok());
    ASSERT_EQ(on_b->counts.groups(), 20);
    ASSERT_GT(on_b->bound, 0.0f);
    const auto b_correction = on_b_->learning_service().correction_for(demo_.id);
    ASSERT_NE(b_correction, nullptr);

    auto a_correction = a_correction_once(
        [&](const event_correction* c) { return c != nullptr && c->counts().groups() == 20; });
    ASSERT_NE(a_correction, nullptr) << "A never refitted after B's decisions";
    EXPECT_EQ(a_correction->counts().groups(), 20) << "A's scoring still uses an older correction";
    EXPECT_EQ(a_correction->counts().hostile_questions, b_correction->counts().hostile_questions);
    EXPECT_EQ(a_correction->bound(), b_correction->bound());
    EXPECT_EQ(a_correction->input_weights(), b_correction->input_weights());
    EXPECT_EQ(a_correction->top_text_weights(50), b_correction->top_text_weights(50));
    EXPECT_EQ(a_correction->band().reject_at, b_correction->band().reject_at);
    auto on_a = on_a_->learning("demo");
    ASSERT_TRUE(on_a.is_ok());
    EXPECT_EQ(on_a->last_decision, on_b->last_decision);
    EXPECT_EQ(on_a->top_words, on_b->top_words);
}

// An admin's reset on B reaches the correction A's scoring applies at A's next poll (every
// 100 ms here), though no decision was recorded since.
TEST_F(pg_shared_learning, a_reset_on_one_instance_empties_the_others_correction) {
    start(std::chrono::milliseconds(100));
    decide_on_b();
    auto before = a_correction_once([](const event_correction* c) { return c && c->counts().groups() == 20; });
    ASSERT_TRUE(before && before->counts().groups() == 20 && !before->empty()) << "A has not learned";
    // Not needed to pass: lets A's polls see the decisions first, so that a poll which only
    // looked for new decisions would never refresh after the reset (this test then fails).
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto reset = on_b_->reset_learning("demo", "root");
    ASSERT_TRUE(reset.is_ok()) << reset.error().message();

    auto after = a_correction_once([](const event_correction* c) { return c && c->counts().groups() == 0; });
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(after->counts().groups(), 0) << "A still applies the correction B's admin reset";
    EXPECT_TRUE(after->empty());
}

// An admin's policy saved through B is the one A's scoring applies after A's next poll (every
// 100 ms here), though A kept the event's policy from before: A auto-rejects a question with
// the term B's admin banned, and reports B's policy as its own.
TEST_F(pg_shared_learning, a_policy_saved_on_one_instance_is_in_force_on_the_other) {
    start(std::chrono::milliseconds(100));
    auto submit_on_a = [&](const std::string& text) {
        std::promise<result<submit_outcome>> done;
        auto fut = done.get_future();
        status st = on_a_->submit({"demo", text, {}, {}, {}},
                                  [&](result<submit_outcome> r) { done.set_value(std::move(r)); });
        EXPECT_TRUE(st.is_ok()) << st.message();
        auto r = fut.get();
        EXPECT_TRUE(r.is_ok()) << r.error().message();
        return r ? r->q : question{};
    };
    auto before = on_a_->policy("demo");  // kept by A from now on
    ASSERT_TRUE(before.is_ok());
    ASSERT_NE(submit_on_a("Will the zorblax merger close this year?").status,
              question_status::auto_rejected);

    event_policy changed = *before;
    changed.banned.push_back("zorblax");
    threshold& th = changed.thresholds.at(all_attributes[0]);
    th.review_above = th.reject_above * 0.75f;
    ASSERT_FALSE(changed == *before);
    ASSERT_TRUE(on_b_->set_policy("demo", changed).is_ok());

    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto on_a = on_a_->policy("demo");
    while (on_a.is_ok() && !(*on_a == changed) && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        on_a = on_a_->policy("demo");
    }
    ASSERT_TRUE(on_a.is_ok());
    EXPECT_TRUE(*on_a == changed) << "A still applies the policy it had before B's admin saved one";
    const question q = submit_on_a("How many branches will zorblax cut in Ohio?");
    EXPECT_EQ(q.status, question_status::auto_rejected);
    EXPECT_NE(q.verdict.find("zorblax"), std::string::npos) << q.verdict;
}

TEST_F(pg_shared_instances, a_claimed_webhook_delivery_is_not_handed_to_another_instance) {
    const webhook hook = hook_owed_one("Owed to the hook?");
    ASSERT_GT(hook.id, 0);
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
    failed.log.hook_id = hook.id;
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
    const webhook hook = hook_owed_one("Owed when A stops?");
    ASSERT_GT(hook.id, 0);
    const timestamp_ms now = wall_clock_ms() + 1;
    auto on_a = a_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(on_a.is_ok());
    ASSERT_EQ(on_a->size(), 1u);
    // A stops with the attempt in flight (webhook_dispatcher::stop): nothing is recorded, the
    // claim is given up, and B, asking at the same moment, is handed the delivery: it does not
    // wait for the claim to expire.
    ASSERT_TRUE(a_->release_claims({hook.id}).is_ok());
    auto on_b = b_->due_deliveries(now, {}, 10);
    ASSERT_TRUE(on_b.is_ok());
    ASSERT_EQ(on_b->size(), 1u) << "the delivery A gave up is due on B at once";
    EXPECT_EQ(on_b->front().delivery_id, on_a->front().delivery_id) << "the same delivery";
}

}  // namespace
}  // namespace tribune

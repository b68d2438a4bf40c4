// The executives' use cases over the in-memory store: the ranking's score and grouping
// (ranking_service), the shortlist's changes and their announcements (shortlist_service), what
// the room's display shows (display_of), topic words, and the "is it a question?" signal
// asked once per question on the scoring worker.

#include <gtest/gtest.h>

#include <cmath>
#include <future>
#include <mutex>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/question_signal.hpp"
#include "core/service/ranking_service.hpp"
#include "core/service/shortlist_service.hpp"
#include "core/store/memory_store.hpp"
#include "core/text/topic_words.hpp"

namespace tribune {
namespace {

class shortlist_recorder final : public event_sink {
public:
    void question_changed(const question_change&) override {}
    void shortlist_changed(const shortlist_change& c) override {
        std::lock_guard lock(mutex_);
        changes_.push_back(c);
    }
    std::vector<shortlist_change> changes() {
        std::lock_guard lock(mutex_);
        return changes_;
    }

private:
    std::mutex mutex_;
    std::vector<shortlist_change> changes_;
};

// "Is it a question?" stand-in: a text that ends in '?' is one; counts its calls.
class question_mark_signal final : public question_signal {
public:
    float question_probability(const prepared_text& t) const override {
        ++calls;
        return !t.original.empty() && t.original.back() == '?' ? 0.95f : 0.05f;
    }
    mutable std::atomic<int> calls{0};
};

class executive_services_test : public ::testing::Test {
protected:
    void SetUp() override {
        service_options o;
        o.question_model = &signal_;
        questions_ = std::make_unique<question_service>(db_, model_, sink_, o);
        ASSERT_TRUE(questions_->start().is_ok());
    }
    void TearDown() override { questions_->stop(); }

    question submit(const std::string& text) {
        std::promise<result<submit_outcome>> done;
        auto fut = done.get_future();
        submission s;
        s.event_slug = "demo";
        s.text = text;
        EXPECT_TRUE(questions_->submit(std::move(s), [&](result<submit_outcome> r) {
                                  done.set_value(std::move(r));
                              }).is_ok());
        auto r = fut.get();
        EXPECT_TRUE(r.is_ok());
        return r ? r->q : question{};
    }

    memory_store db_;
    placeholder_classifier model_;
    shortlist_recorder sink_;
    question_mark_signal signal_;
    std::unique_ptr<question_service> questions_;
};

TEST(ranking_score, is_the_documented_formula) {
    rank_weights w{2.0, 0.5, 3.0, 10.0};
    const rank_parts p = ranking_service::score(w, 4, 3, 20.0);
    EXPECT_DOUBLE_EQ(p.votes, 2.0 * std::log(5.0));
    EXPECT_DOUBLE_EQ(p.group, 0.5 * std::log(3.0));
    EXPECT_DOUBLE_EQ(p.recency, 3.0 * 0.25);
    EXPECT_DOUBLE_EQ(p.score(), p.votes + p.group + p.recency);
    const rank_parts alone = ranking_service::score(w, 0, 1, 0.0);
    EXPECT_DOUBLE_EQ(alone.votes, 0.0);
    EXPECT_DOUBLE_EQ(alone.group, 0.0);
    EXPECT_DOUBLE_EQ(alone.recency, 3.0);
}

TEST(topic_words_of, keep_content_words_once) {
    EXPECT_EQ(topic_words("When will you lower the OVERDRAFT fees? Overdraft fées!"),
              (std::vector<std::string>{"lower", "overdraft", "fees"}));
    EXPECT_EQ(topic_words("Pourquoi les agences ferment-elles en 2026 ?"),
              (std::vector<std::string>{"agences", "ferment"}));
}

TEST_F(executive_services_test, the_signal_is_asked_once_per_question_and_stored) {
    const question q = submit("Will the branch close?");
    const question s = submit("The branch must stay open");
    EXPECT_EQ(signal_.calls.load(), 2);
    EXPECT_FLOAT_EQ(db_.get_question(q.id)->question_probability.value_or(-1), 0.95f);
    EXPECT_FLOAT_EQ(db_.get_question(s.id)->question_probability.value_or(-1), 0.05f);
}

TEST_F(executive_services_test, the_ranking_groups_near_duplicates_and_hides_statements) {
    const question a = submit("When will you lower the overdraft fees?");
    const question b = submit("when will u lower overdraft fees??");
    const question c = submit("Overdraft fees are a disgrace");
    ASSERT_EQ(b.cluster_id, a.id);
    ASSERT_TRUE(db_.add_vote(b.id, "v1").is_ok());
    ranking_service ranker(db_);
    ranking_query rq;
    rq.event_slug = "demo";
    rq.now = a.created_at + 60'000;
    auto r = ranker.rank(rq);
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    ASSERT_EQ(r->items.size(), 2u);
    EXPECT_EQ(r->items[0].q.id, a.id);
    EXPECT_EQ(r->items[0].asked, 2);
    EXPECT_EQ(r->items[0].votes, 1);
    EXPECT_EQ(r->items[0].public_members, 2);
    rq.questions_only = true;
    r = ranker.rank(rq);
    ASSERT_EQ(r->items.size(), 1u);
    EXPECT_EQ(r->hidden_not_questions, 1u);
    EXPECT_NE(r->items[0].q.id, c.id);
    rq.limit = 0;
    EXPECT_EQ(ranker.rank(rq).error().code(), "invalid_limit");
    rq.limit = 10;
    rq.event_slug = "nope";
    EXPECT_EQ(ranker.rank(rq).error().code(), "event_not_found");
}

TEST_F(executive_services_test, shortlist_changes_are_announced_with_the_whole_shortlist) {
    shortlist_service shortlist(db_, db_, *questions_, sink_);
    const question a = submit("What about the branch?");
    const question b = submit("What about the app?");
    ASSERT_TRUE(shortlist.add("demo", a.id, "erin").is_ok());
    ASSERT_TRUE(shortlist.add("demo", a.id, "erin").is_ok());  // again: nothing to announce
    ASSERT_TRUE(shortlist.add("demo", b.id, "erin").is_ok());
    ASSERT_TRUE(shortlist.reorder("demo", {b.id, a.id}, "frank").is_ok());
    shortlist_edit_input now;
    now.answering_now = true;
    ASSERT_TRUE(shortlist.edit("demo", a.id, now, "erin").is_ok());
    shortlist_edit_input done;
    done.answered = true;
    auto answered = shortlist.edit("demo", a.id, done, "erin");
    ASSERT_TRUE(answered.is_ok()) << answered.error().message();
    EXPECT_EQ(answered->q.status, question_status::answered);
    EXPECT_FALSE(answered->answering_since.has_value());
    shortlist_edit_input long_note;
    long_note.note = std::string(shortlist_service::max_note_chars + 1, 'x');
    EXPECT_EQ(shortlist.edit("demo", a.id, long_note, "erin").error().code(), "invalid_field");
    ASSERT_TRUE(shortlist.remove("demo", b.id, "erin").is_ok());

    const auto changes = sink_.changes();
    std::vector<std::string> actions;
    for (const auto& c : changes) actions.push_back(c.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"added", "added", "reordered", "updated", "answered", "removed"}));
    EXPECT_EQ(changes[2].actor, "frank");
    ASSERT_EQ(changes[2].entries.size(), 2u);
    EXPECT_EQ(changes[2].entries[0].q.id, b.id);
    EXPECT_EQ(changes.back().entries.size(), 1u);
    EXPECT_EQ(changes.back().event, "demo");
}

TEST(display_of, shows_the_one_answered_now_and_the_next_unanswered) {
    auto entry = [](std::int64_t id, question_status st, bool now) {
        shortlist_entry e;
        e.q.id = id;
        e.q.status = st;
        if (now) e.answering_since = 1;
        return e;
    };
    const std::vector<shortlist_entry> all = {
        entry(1, question_status::answered, false), entry(2, question_status::approved, false),
        entry(3, question_status::approved, true), entry(4, question_status::approved, false),
        entry(5, question_status::approved, false)};
    display_state d = display_of(all, 2);
    ASSERT_TRUE(d.now.has_value());
    EXPECT_EQ(d.now->q.id, 3);
    ASSERT_EQ(d.next.size(), 2u);
    EXPECT_EQ(d.next[0].q.id, 2);
    EXPECT_EQ(d.next[1].q.id, 4);
    EXPECT_TRUE(display_of({}, 3).next.empty());
    EXPECT_FALSE(display_of({}, 3).now.has_value());
}

}  // namespace
}  // namespace tribune

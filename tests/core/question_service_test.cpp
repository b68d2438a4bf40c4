#include "core/service/question_service.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "core/classify/placeholder_classifier.hpp"
#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

// Records every change it is told about.
class recording_sink final : public event_sink {
public:
    void question_changed(const question_change& c) override {
        std::lock_guard lock(mutex_);
        changes_.push_back(c);
        ++calls_;
    }
    void questions_changed(const std::vector<question_change>& cs) override {
        std::lock_guard lock(mutex_);
        changes_.insert(changes_.end(), cs.begin(), cs.end());
        ++calls_;
    }
    std::vector<question_change> changes() {
        std::lock_guard lock(mutex_);
        return changes_;
    }
    int calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }

private:
    std::mutex mutex_;
    std::vector<question_change> changes_;
    int calls_ = 0;
};

class question_service_test : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<memory_store>();
        service_options o;
        o.undo_window = std::chrono::milliseconds(60'000);
        service_ = std::make_unique<question_service>(*db_, model_, sink_, o);
        ASSERT_TRUE(service_->start().is_ok());
    }
    void TearDown() override { service_->stop(); }

    // Submits and waits for the commit.
    question submit(const std::string& text, const std::string& event = "demo") {
        std::promise<result<submit_outcome>> done;
        auto fut = done.get_future();
        submission s;
        s.event_slug = event;
        s.text = text;
        status st = service_->submit(std::move(s), [&](result<submit_outcome> r) {
            done.set_value(std::move(r));
        });
        EXPECT_TRUE(st.is_ok()) << st.message();
        auto r = fut.get();
        EXPECT_TRUE(r.is_ok());
        return r->q;
    }

    std::unique_ptr<memory_store> db_;
    placeholder_classifier model_;
    recording_sink sink_;
    std::unique_ptr<question_service> service_;
};

TEST_F(question_service_test, submit_validates_before_queueing) {
    auto cb = [](result<submit_outcome>) { FAIL() << "must not be called"; };
    EXPECT_EQ(service_->submit({"demo", "   ", {}, {}, {}}, cb).code(), "text_required");
    EXPECT_EQ(service_->submit({"demo", std::string(2001, 'a'), {}, {}, {}}, cb).code(),
              "text_too_long");
    EXPECT_EQ(service_->submit({"demo", "bad \xC3", {}, {}, {}}, cb).code(), "invalid_utf8");
    EXPECT_EQ(service_->submit({"nope", "hello", {}, {}, {}}, cb).code(), "event_not_found");
    // 2,000 code points of two bytes each is within the limit.
    std::string two_byte;
    for (int i = 0; i < 2000; ++i) two_byte += "\xC3\xA9";
    EXPECT_EQ(submit(two_byte).text.size(), 4000u);
}

TEST_F(question_service_test, banned_term_rejects_and_suspect_term_holds_with_spans) {
    event_policy p;
    p.banned = {"crypto scam"};
    p.suspect = {"lawsuit"};
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());

    question banned = submit("Is this a CRYPTO   sc4m or not?");
    EXPECT_EQ(banned.status, question_status::auto_rejected);
    EXPECT_EQ(banned.verdict, "banned term 'crypto scam'");
    bool has_rule = false;
    for (const span& s : banned.scored.spans)
        if (s.rule == "banned:crypto scam") {
            has_rule = true;
            EXPECT_EQ(s.start, 10u);  // "CRYPTO   sc4m" in the original text
            EXPECT_EQ(s.end, 23u);
        }
    EXPECT_TRUE(has_rule);

    question suspect = submit("Will there be a lawsuit?");
    EXPECT_EQ(suspect.status, question_status::held);
    EXPECT_EQ(suspect.verdict, "suspect term 'lawsuit'");

    EXPECT_EQ(submit("What about fees?").status, question_status::approved);
}

TEST_F(question_service_test, policy_change_applies_to_the_next_question) {
    EXPECT_EQ(submit("you idiot").status, question_status::pending);  // insult 0.8 >= 0.5
    event_policy p = *service_->policy("demo");
    p.thresholds.at(attribute::insult) = {0.9f, 0.95f};
    p.thresholds.at(attribute::toxicity) = {0.9f, 0.95f};
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());
    EXPECT_EQ(submit("you idiot").status, question_status::approved);
    p.premoderate = true;
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());
    EXPECT_EQ(submit("hello there").status, question_status::held);
    // Saved, not only cached.
    auto stored = db_->get_policy(db_->find_event("demo")->id);
    ASSERT_TRUE(stored.is_ok());
    EXPECT_TRUE(stored->premoderate);
    EXPECT_FLOAT_EQ(stored->thresholds.at(attribute::insult).review_above, 0.9f);
}

TEST_F(question_service_test, invalid_policy_is_refused_and_changes_nothing) {
    event_policy p;
    p.thresholds.at(attribute::threat) = {0.9f, 0.5f};
    EXPECT_EQ(service_->set_policy("demo", p).error().code(), "invalid_threshold");
    event_policy q;
    q.banned = {"   "};
    EXPECT_EQ(service_->set_policy("demo", q).error().code(), "empty_term");
    EXPECT_TRUE(service_->policy("demo")->banned.empty());
}

TEST_F(question_service_test, dry_run_counts_what_a_policy_would_move_without_saving) {
    submit("you idiot");        // pending
    submit("you moron");        // pending
    submit("what about fees");  // approved
    question decided = submit("stupid question");
    ASSERT_TRUE(service_->decide({decided.id, "approve", "alice", "", {}}).is_ok());

    event_policy p = *service_->policy("demo");
    p.thresholds.at(attribute::insult) = {0.5f, 0.82f};  // moron 0.85 now rejects
    p.suspect = {"fees"};
    auto r = service_->dry_run("demo", p);
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_EQ(r->considered, 3);  // the human decision is not re-decided
    EXPECT_EQ(r->would_move, 2);
    EXPECT_EQ((r->moves[{question_status::pending, question_status::auto_rejected}]), 1);
    EXPECT_EQ((r->moves[{question_status::approved, question_status::held}]), 1);
    ASSERT_EQ(r->samples.size(), 2u);
    // Nothing was saved.
    EXPECT_TRUE(service_->policy("demo")->suspect.empty());
}

TEST_F(question_service_test, actions_and_transitions) {
    question q = submit("kill it");  // threat 0.95 -> auto_rejected
    ASSERT_EQ(q.status, question_status::auto_rejected);
    EXPECT_EQ(service_->decide({q.id, "answer", "exec", "", {}}).error().code(),
              "invalid_transition");
    auto restored = service_->decide({q.id, "restore", "mod", "false positive", {}});
    ASSERT_TRUE(restored.is_ok());
    EXPECT_EQ(restored->status, question_status::pending);
    ASSERT_TRUE(service_->decide({q.id, "approve", "mod", "", {}}).is_ok());
    auto answered = service_->decide({q.id, "answer", "exec", "", {}});
    ASSERT_TRUE(answered.is_ok());
    EXPECT_EQ(answered->status, question_status::answered);
    EXPECT_EQ(service_->decide({q.id, "delete", "mod", "", {}}).error().code(), "unknown_action");
}

TEST_F(question_service_test, undo_reverts_only_the_actors_own_last_decision) {
    question q = submit("you idiot");
    ASSERT_TRUE(service_->decide({q.id, "approve", "alice", "", {}}).is_ok());
    EXPECT_EQ(service_->undo(q.id, "bob").error().code(), "undo_unavailable");
    auto undone = service_->undo(q.id, "alice");
    ASSERT_TRUE(undone.is_ok()) << undone.error().message();
    EXPECT_EQ(undone->status, question_status::pending);
    EXPECT_EQ(undone->version, 3);
    // An undo is not itself undoable, and the audit trail has all three rows.
    EXPECT_EQ(service_->undo(q.id, "alice").error().code(), "undo_unavailable");
    auto audit = db_->list_decisions(q.id);
    ASSERT_EQ(audit->size(), 3u);
    EXPECT_EQ((*audit)[2].action, "undo");
    EXPECT_EQ((*audit)[2].to, question_status::pending);
}

TEST_F(question_service_test, undo_window_is_enforced) {
    service_->stop();
    service_options o;
    o.undo_window = std::chrono::milliseconds(0);
    service_ = std::make_unique<question_service>(*db_, model_, sink_, o);
    service_->start();
    question q = submit("you idiot");
    ASSERT_TRUE(service_->decide({q.id, "approve", "alice", "", {}}).is_ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto r = service_->undo(q.id, "alice");
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "undo_unavailable");
}

TEST_F(question_service_test, bulk_is_one_broadcast_and_reports_each_item) {
    question a = submit("you idiot");
    question b = submit("you moron");
    question c = submit("stupid");
    ASSERT_TRUE(db_->create_event({"other", "Other", false}).is_ok());
    question foreign = submit("you idiot", "other");
    // The sink hears of a new question just after its submitter is answered: wait for all 4.
    for (int i = 0; i < 500 && sink_.calls() < 4; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const int calls_before = sink_.calls();
    ASSERT_EQ(calls_before, 4);

    bulk_decision_input d;
    d.event_slug = "demo";
    d.action = "reject";
    d.actor = "alice";
    d.ids = {a.id, b.id, c.id, foreign.id, 99999};
    d.expected_versions = {{c.id, 7}};  // stale
    auto out = service_->decide_bulk(d);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    ASSERT_EQ(out->items.size(), 5u);
    EXPECT_FALSE(out->more);
    EXPECT_EQ(out->items[0].outcome->status, question_status::rejected);
    EXPECT_EQ(out->items[1].outcome->status, question_status::rejected);
    EXPECT_EQ(out->items[2].outcome.error().code(), "version_conflict");
    EXPECT_EQ(out->items[3].outcome.error().code(), "question_not_found");
    EXPECT_EQ(out->items[4].outcome.error().code(), "question_not_found");
    EXPECT_EQ(sink_.calls(), calls_before + 1);
    EXPECT_EQ(db_->get_question(foreign.id)->status, question_status::pending);
}

TEST_F(question_service_test, bulk_on_a_group_decides_its_members_still_in_review) {
    question a = submit("Why are you such an idiot about the fees?");
    question b = submit("why are u such an idiot about fees??");
    question c = submit("WHY ARE YOU SUCH AN IDIOT ABOUT THE FEES");
    question other = submit("you idiot");
    ASSERT_EQ(a.cluster_id, a.id);
    ASSERT_EQ(b.cluster_id, a.id);
    ASSERT_EQ(c.cluster_id, a.id);
    ASSERT_NE(other.cluster_id, a.id);
    ASSERT_EQ(a.status, question_status::pending);
    // Someone approved one member already: the group decision leaves it alone.
    ASSERT_TRUE(service_->decide({b.id, "approve", "bob", "", {}}).is_ok());
    for (int i = 0; i < 500 && sink_.calls() < 5; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const int calls_before = sink_.calls();

    bulk_decision_input d;
    d.event_slug = "demo";
    d.action = "reject";
    d.actor = "alice";
    d.cluster = a.id;
    auto out = service_->decide_bulk(d);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    ASSERT_EQ(out->items.size(), 2u);
    EXPECT_EQ(out->items[0].id, a.id);
    EXPECT_EQ(out->items[1].id, c.id);
    for (const bulk_item& it : out->items) EXPECT_EQ(it.outcome->status, question_status::rejected);
    EXPECT_FALSE(out->more);
    EXPECT_EQ(sink_.calls(), calls_before + 1);
    EXPECT_EQ(db_->get_question(b.id)->status, question_status::approved);
    EXPECT_EQ(db_->get_question(other.id)->status, question_status::pending);

    // Nothing left in review: an empty answer, not an error.
    auto none = service_->decide_bulk(d);
    ASSERT_TRUE(none.is_ok()) << none.error().message();
    EXPECT_TRUE(none->items.empty());

    d.ids = {a.id};
    auto both = service_->decide_bulk(d);
    ASSERT_FALSE(both.is_ok());
    EXPECT_EQ(both.error().code(), "invalid_field");
}

TEST_F(question_service_test, votes_count_once_per_voter_on_approved_questions) {
    question q = submit("what about fees?");
    ASSERT_EQ(q.status, question_status::approved);
    EXPECT_EQ(service_->vote(q.id, "v1")->votes, 1);
    EXPECT_EQ(service_->vote(q.id, "v1")->votes, 1);
    EXPECT_EQ(service_->vote(q.id, "v2")->votes, 2);
    question p = submit("you idiot");
    EXPECT_EQ(service_->vote(p.id, "v1").error().code(), "not_votable");
    EXPECT_EQ(service_->vote(q.id, "").error().code(), "invalid_field");
}

}  // namespace
}  // namespace tribune

// Issue 10: a moderator's decision covers its near-duplicate group, now and later. The rules
// (decision_inheritance) and the services that apply them (ingest on the scoring worker,
// moderation in the store's transaction), on the in-memory store with the word-list
// placeholder classifier ("idiot" insult 0.80 -> review, "kill" threat 0.95 -> reject,
// "hate" toxicity 0.60 -> review).

#include "core/triage/decision_inheritance.hpp"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/question_service.hpp"
#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

// ---- the rules -------------------------------------------------------------------------

group_decision decided(question_status outcome) { return {12, outcome, "alice", 7, 1000}; }

TEST(DecisionInheritance, RejectedGroupRejectsWhateverTheOwnVerdict) {
    for (verdict_rule r : {verdict_rule::below, verdict_rule::review, verdict_rule::suspect,
                           verdict_rule::unscored}) {
        joined_verdict j = verdict_on_joining({question_status::approved, "below every threshold", r},
                                              decided(question_status::rejected));
        EXPECT_EQ(j.v.status, question_status::auto_rejected);
        EXPECT_TRUE(j.inherited);
        EXPECT_EQ(j.v.reason, "inherited: group 12 rejected by alice; own verdict: below every threshold");
    }
}

TEST(DecisionInheritance, ApprovedGroupApprovesOnlyBelowEveryRejectRule) {
    const group_decision g = decided(question_status::approved);
    auto join = [&](question_status s, verdict_rule r) { return verdict_on_joining({s, "own", r}, g); };
    EXPECT_EQ(join(question_status::approved, verdict_rule::below).v.status, question_status::approved);
    EXPECT_EQ(join(question_status::pending, verdict_rule::review).v.status, question_status::approved);
    EXPECT_EQ(join(question_status::held, verdict_rule::premoderate).v.status, question_status::approved);
    EXPECT_TRUE(join(question_status::pending, verdict_rule::review).inherited);
    for (verdict_rule r : {verdict_rule::reject, verdict_rule::banned}) {
        joined_verdict j = join(question_status::auto_rejected, r);
        EXPECT_EQ(j.v.status, question_status::pending);
        EXPECT_FALSE(j.inherited);
        EXPECT_EQ(j.v.reason, "group 12 approved by alice, but own");
    }
    EXPECT_EQ(join(question_status::held, verdict_rule::suspect).v.status, question_status::held);
    EXPECT_EQ(join(question_status::pending, verdict_rule::unscored).v.status, question_status::pending);
    EXPECT_FALSE(join(question_status::held, verdict_rule::suspect).inherited);
}

TEST(DecisionInheritance, WhatADecisionDoesToItsGroup) {
    const std::optional<group_decision> none;
    auto e = group_effect_of("reject", question_status::rejected, "bob", 7, 12, none, 5, true);
    EXPECT_TRUE(e.changes && e.retract && !e.release);
    EXPECT_EQ(e.next->outcome, question_status::rejected);
    // Approving over a rejection releases what inherited the rejection.
    e = group_effect_of("approve", question_status::approved, "bob", 8, 12,
                        decided(question_status::rejected), 5, true);
    EXPECT_EQ(e.release, question_status::auto_rejected);
    EXPECT_FALSE(e.retract);
    EXPECT_EQ(e.next->question_id, 8);
    // Rejecting again: nothing to take down a second time; off: never.
    EXPECT_FALSE(group_effect_of("reject", question_status::rejected, "bob", 8, 12,
                                 decided(question_status::rejected), 5, true).retract);
    EXPECT_FALSE(group_effect_of("reject", question_status::rejected, "bob", 8, 12, none, 5, false).retract);
    // The deciding question restored, held or undone: withdrawn; answered: kept; another member: nothing.
    for (const char* a : {"restore", "hold", "undo"}) {
        e = group_effect_of(a, question_status::pending, "bob", 7, 12, decided(question_status::rejected), 5, true);
        EXPECT_TRUE(e.changes) << a;
        EXPECT_FALSE(e.next.has_value()) << a;
        EXPECT_EQ(e.release, question_status::auto_rejected) << a;
    }
    EXPECT_FALSE(group_effect_of("answer", question_status::answered, "x", 7, 12,
                                 decided(question_status::approved), 5, true).changes);
    EXPECT_FALSE(group_effect_of("restore", question_status::pending, "x", 9, 12,
                                 decided(question_status::rejected), 5, true).changes);
    // Approving confirms the unsure rejections once, with inheritance on.
    EXPECT_TRUE(group_effect_of("approve", question_status::approved, "bob", 8, 12, none, 5, true).confirm);
    EXPECT_TRUE(group_effect_of("approve", question_status::approved, "bob", 8, 12,
                                decided(question_status::rejected), 5, true).confirm);
    EXPECT_FALSE(group_effect_of("approve", question_status::approved, "bob", 8, 12,
                                 decided(question_status::approved), 5, true).confirm);
    EXPECT_FALSE(group_effect_of("approve", question_status::approved, "bob", 8, 12, none, 5, false).confirm);
    EXPECT_FALSE(group_effect_of("reject", question_status::rejected, "bob", 8, 12, none, 5, true).confirm);
    EXPECT_EQ(insert_action(false, true), "unsure");
    EXPECT_EQ(insert_action(true, false), "inherit");
    EXPECT_EQ(insert_action(false, false), "auto");
}

// ---- auto-decided, unsure (unsure_decision.hpp) -------------------------------------------

// Toxicity review line 0.27 (logit -0.99), reject line 0.95 (logit 2.94): 0.60 (logit 0.41)
// sits at 0.36 of the band.
scores toxicity_at(float p) {
    scores s;
    s[attribute::toxicity] = p;
    return s;
}

TEST(UnsureDecision, GuessesOnlyForSmallUndecidedGroupsInReviewByAScore) {
    triage_policy pol = triage_policy::defaults();  // the lines above, whatever the model's defaults
    pol.at(attribute::toxicity).review_above = 0.27f;
    pol.at(attribute::toxicity).reject_above = 0.95f;
    const verdict in_band{question_status::pending, "toxicity 0.60 >= review 0.27", verdict_rule::review};
    const unsure_rule rule{3, 0.25f, 0.25f, 100};
    EXPECT_NEAR(*band_position(toxicity_at(0.60f), pol), 0.357f, 0.01f);
    auto v = unsure_verdict(in_band, toxicity_at(0.60f), pol, 0, 100, rule);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->status, question_status::auto_rejected);  // above 0.25 of the band: leans hostile
    EXPECT_EQ(v->reason.rfind("auto-decided, unsure: toxicity 0.60 >= review 0.27 (0.36 of the review band", 0), 0u)
        << v->reason;
    EXPECT_NE(v->reason.find("to review when its group has 3 questions"), std::string::npos);
    EXPECT_EQ(unsure_verdict(in_band, toxicity_at(0.30f), pol, 1, 100, rule)->status, question_status::approved);
    // The middle of the band, between the two lines, is left to a human.
    const unsure_rule zones{3, 0.15f, 0.5f, 100};
    EXPECT_FALSE(unsure_verdict(in_band, toxicity_at(0.60f), pol, 0, 100, zones).has_value());
    EXPECT_EQ(unsure_verdict(in_band, toxicity_at(0.30f), pol, 0, 100, zones)->status, question_status::approved);
    EXPECT_EQ(unsure_verdict(in_band, toxicity_at(0.85f), pol, 0, 100, zones)->status, question_status::auto_rejected);
    // The third member of the group goes to review; so does everything before the event has
    // learned from min_labels groups, or with the rule off.
    EXPECT_FALSE(unsure_verdict(in_band, toxicity_at(0.60f), pol, 2, 100, rule).has_value());
    EXPECT_FALSE(unsure_verdict(in_band, toxicity_at(0.60f), pol, 0, 99, rule).has_value());
    EXPECT_FALSE(unsure_verdict(in_band, toxicity_at(0.60f), pol, 0, 100, {0, 0.25f, 0.25f, 0}).has_value());
    // Other reasons for review or rejection are never guessed over.
    for (verdict_rule r : {verdict_rule::banned, verdict_rule::reject, verdict_rule::suspect,
                           verdict_rule::premoderate, verdict_rule::unscored, verdict_rule::below})
        EXPECT_FALSE(unsure_verdict({question_status::pending, "x", r}, toxicity_at(0.60f), pol, 0, 100, rule))
            << static_cast<int>(r);
    // A policy with no reject line: no band, no guess.
    triage_policy review_only = pol;
    for (attribute a : all_attributes) review_only.at(a).reject_above = 1.01f;
    EXPECT_FALSE(band_position(toxicity_at(0.60f), review_only).has_value());
    EXPECT_FALSE(unsure_verdict(in_band, toxicity_at(0.60f), review_only, 0, 100, rule).has_value());
}

// ---- the services ------------------------------------------------------------------------

class recording_sink final : public event_sink {
public:
    void question_changed(const question_change& c) override {
        std::lock_guard lock(mutex_);
        changes_.push_back(c);
    }
    std::vector<question_change> changes() {
        std::lock_guard lock(mutex_);
        return changes_;
    }

private:
    std::mutex mutex_;
    std::vector<question_change> changes_;
};

class inheritance_test : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<memory_store>();
        service_ = std::make_unique<question_service>(*db_, model_, sink_, service_options{});
        ASSERT_TRUE(service_->start().is_ok());
    }
    void TearDown() override { service_->stop(); }

    question submit(const std::string& text) {
        std::promise<result<submit_outcome>> done;
        auto fut = done.get_future();
        status st = service_->submit({"demo", text, {}, {}, {}},
                                     [&](result<submit_outcome> r) { done.set_value(std::move(r)); });
        EXPECT_TRUE(st.is_ok()) << st.message();
        auto r = fut.get();
        EXPECT_TRUE(r.is_ok());
        return r->q;
    }
    question decide(std::int64_t id, const std::string& action, const std::string& actor = "alice") {
        auto r = service_->decide({id, action, actor, "", {}});
        EXPECT_TRUE(r.is_ok()) << r.error().message();
        return r ? *r : question{};
    }
    std::string group_name(const question& q) { return "group " + std::to_string(q.cluster_id); }

    std::unique_ptr<memory_store> db_;
    placeholder_classifier model_;
    recording_sink sink_;
    std::unique_ptr<question_service> service_;
};

TEST_F(inheritance_test, a_retweet_of_a_rejected_question_is_rejected_naming_the_group) {
    question first = submit("Why do you hate the overdraft fees so much?");
    ASSERT_EQ(first.status, question_status::pending);
    decide(first.id, "reject");
    question rt = submit("RT @bob: Why do you hate the overdraft fees so much? #AskJPM");
    EXPECT_EQ(rt.cluster_id, first.cluster_id);
    EXPECT_EQ(rt.status, question_status::auto_rejected);
    // The review line is the shipped defaults' (derived from the model), so only its rule is named here.
    EXPECT_EQ(rt.verdict.rfind("inherited: " + group_name(first) +
                                   " rejected by alice; own verdict: toxicity 0.60 >= review ",
                               0),
              0u)
        << rt.verdict;
    auto trail = db_->list_decisions(rt.id);
    ASSERT_EQ(trail->size(), 1u);
    EXPECT_EQ((*trail)[0].actor, "triage");
    EXPECT_EQ((*trail)[0].action, "inherit");
    EXPECT_EQ((*trail)[0].reason, rt.verdict);
    // A text that is not a near-duplicate keeps its own verdict.
    EXPECT_EQ(submit("Why do you hate the savings rates?").status, question_status::pending);
}

TEST_F(inheritance_test, an_approved_group_approves_new_members_below_every_reject_rule) {
    event_policy p;
    p.banned = {"scam"};
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());
    question first = submit("Why do you hate the overdraft fees so much in this bank?");
    decide(first.id, "approve");
    question copy = submit("@jpmorgan why do you hate the overdraft fees so much in this bank??");
    EXPECT_EQ(copy.cluster_id, first.cluster_id);
    EXPECT_EQ(copy.status, question_status::approved);  // its own verdict was review
    EXPECT_EQ(copy.verdict.rfind("inherited: " + group_name(first) + " approved by alice", 0), 0u)
        << copy.verdict;
    // Over a reject threshold, or with a banned term: a human looks, it is not inherited.
    question threat = submit("Why do you hate the overdraft fees so much in this bank? kill");
    EXPECT_EQ(threat.cluster_id, first.cluster_id);
    EXPECT_EQ(threat.status, question_status::pending);
    EXPECT_EQ(threat.verdict.rfind(group_name(first) + " approved by alice, but ", 0), 0u) << threat.verdict;
    EXPECT_NE(threat.verdict.find(" 0.95 >= reject "), std::string::npos) << threat.verdict;
    EXPECT_EQ(db_->list_decisions(threat.id)->front().action, "auto");
    question banned = submit("Why do you hate the overdraft fees so much in this bank? scam");
    EXPECT_EQ(banned.cluster_id, first.cluster_id);
    EXPECT_EQ(banned.status, question_status::pending);
    EXPECT_EQ(banned.verdict, group_name(first) + " approved by alice, but banned term 'scam'");
}

TEST_F(inheritance_test, undoing_or_restoring_the_deciding_decision_releases_the_inheritors) {
    question first = submit("Why do you hate the overdraft fees so much?");
    decide(first.id, "reject");
    question a = submit("RT @ana: Why do you hate the overdraft fees so much?");
    ASSERT_EQ(a.status, question_status::auto_rejected);
    auto undone = service_->undo(first.id, "alice");
    ASSERT_TRUE(undone.is_ok()) << undone.error().message();
    EXPECT_EQ(db_->get_question(a.id)->status, question_status::pending);
    EXPECT_EQ(db_->list_decisions(a.id)->back().action, "release");
    // Broadcast with the undo: the released member as an automatic change.
    bool broadcast = false;
    for (const question_change& c : sink_.changes())
        if (c.q.id == a.id && c.q.status == question_status::pending && c.actor.empty() &&
            c.from == question_status::auto_rejected)
            broadcast = true;
    EXPECT_TRUE(broadcast);
    // The group has no decision now: the next copy keeps its own verdict.
    EXPECT_EQ(submit("RT @kim: Why do you hate the overdraft fees so much?").status, question_status::pending);

    // Rejected again, inherited again, then restored: released again.
    decide(first.id, "reject", "bob");
    question b = submit("Why do you hate the overdraft fees so much?? @kim");
    ASSERT_EQ(b.status, question_status::auto_rejected);
    decide(first.id, "restore", "carol");
    EXPECT_EQ(db_->get_question(b.id)->status, question_status::pending);
    EXPECT_EQ(db_->get_question(b.id)->verdict.rfind("released: carol withdrew " + group_name(first), 0), 0u);
}

TEST_F(inheritance_test, switched_off_every_question_keeps_its_own_verdict) {
    event_policy p;
    p.inherit_group_decisions = false;
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());
    question first = submit("Why do you hate the overdraft fees so much?");
    decide(first.id, "reject");
    question rt = submit("RT @bob: Why do you hate the overdraft fees so much?");
    EXPECT_EQ(rt.cluster_id, first.cluster_id);
    EXPECT_EQ(rt.status, question_status::pending);
    EXPECT_EQ(db_->list_decisions(rt.id)->front().action, "auto");
    // On again: the decision (kept all along) applies to the next one.
    p.inherit_group_decisions = true;
    ASSERT_TRUE(service_->set_policy("demo", p).is_ok());
    EXPECT_EQ(submit("RT @kim: Why do you hate the overdraft fees so much?").status,
              question_status::auto_rejected);
}

// The service with the unsure rule active from the first question (min_labels 0), groups
// reaching review from their third member.
class unsure_test : public inheritance_test {
protected:
    void SetUp() override {
        db_ = std::make_unique<memory_store>();
        restart(0.25f);
    }
    void restart(float approve_below) {
        if (service_) service_->stop();
        service_options o;
        o.unsure = {3, approve_below, approve_below, 0, false};  // fixed zones, no calibration
        service_ = std::make_unique<question_service>(*db_, model_, sink_, o);
        ASSERT_TRUE(service_->start().is_ok());
        event_policy on;  // the rule is off by default; these tests are about it on
        on.auto_decide_unsure = true;
        ASSERT_TRUE(service_->set_policy("demo", on).is_ok());
    }
};

TEST_F(unsure_test, a_hostile_leaning_question_asked_once_is_rejected_not_shown) {
    // "idiot" scores 0.80: in review by a score, high in its band (0.60 of it).
    question q = submit("Are you an idiot about the fees?");
    EXPECT_EQ(q.status, question_status::auto_rejected);
    EXPECT_EQ(q.verdict.rfind("auto-decided, unsure: ", 0), 0u) << q.verdict;
    EXPECT_NE(q.verdict.find(" 0.80 >= review "), std::string::npos) << q.verdict;
    auto trail = db_->list_decisions(q.id);
    ASSERT_EQ(trail->size(), 1u);
    EXPECT_EQ((*trail)[0].action, "unsure");
    EXPECT_EQ((*trail)[0].actor, "triage");
    // A moderator can still open it and overturn it.
    EXPECT_EQ(decide(q.id, "restore").status, question_status::pending);
    EXPECT_EQ(decide(q.id, "approve").status, question_status::approved);
    // Off for the event: it goes to review as before.
    event_policy off;
    off.auto_decide_unsure = false;
    ASSERT_TRUE(service_->set_policy("demo", off).is_ok());
    EXPECT_EQ(submit("Is your CEO an idiot?").status, question_status::pending);
}

TEST_F(unsure_test, the_moderators_approval_covers_the_members_rejected_unsure) {
    question a = submit("Why do you hate the overdraft fees so much?");
    question b = submit("RT @bob: Why do you hate the overdraft fees so much?");
    ASSERT_EQ(b.cluster_id, a.cluster_id);
    EXPECT_EQ(a.status, question_status::auto_rejected);
    EXPECT_EQ(b.status, question_status::auto_rejected);
    // The third member: many people ask it, a human decides.
    question c = submit("@jpmorgan Why do you hate the overdraft fees so much?");
    ASSERT_EQ(c.cluster_id, a.cluster_id);
    EXPECT_EQ(c.status, question_status::pending);
    decide(c.id, "approve");
    for (const question& m : {a, b}) {
        auto now = db_->get_question(m.id);
        EXPECT_EQ(now->status, question_status::approved);
        EXPECT_EQ(now->verdict.rfind("inherited: " + group_name(a) + " approved by alice", 0), 0u) << now->verdict;
        EXPECT_EQ(db_->list_decisions(m.id)->back().action, "inherit");
    }
}

TEST_F(unsure_test, the_moderators_rejection_takes_down_the_members_approved_unsure) {
    restart(0.5f);  // 0.36 of the band is below the line now: the guess approves
    question a = submit("Why do you hate the overdraft fees so much?");
    EXPECT_EQ(a.status, question_status::approved);
    EXPECT_EQ(a.verdict.rfind("auto-decided, unsure: ", 0), 0u);
    question b = submit("RT @bob: Why do you hate the overdraft fees so much?");
    question c = submit("RT @kim: Why do you hate the overdraft fees so much?");
    ASSERT_EQ(c.cluster_id, a.cluster_id);
    EXPECT_EQ(b.status, question_status::approved);
    EXPECT_EQ(c.status, question_status::pending);
    decide(c.id, "reject");
    EXPECT_EQ(db_->get_question(a.id)->status, question_status::auto_rejected);
    EXPECT_EQ(db_->get_question(b.id)->status, question_status::auto_rejected);
    // Later copies inherit the rejection.
    EXPECT_EQ(submit("Why do you hate the overdraft fees so much?? #AskJPM").status, question_status::auto_rejected);
}

TEST_F(inheritance_test, decisions_survive_a_restart_of_the_service) {
    question first = submit("Why do you hate the overdraft fees so much?");
    decide(first.id, "reject");
    service_->stop();
    service_ = std::make_unique<question_service>(*db_, model_, sink_, service_options{});
    ASSERT_TRUE(service_->start().is_ok());
    EXPECT_EQ(submit("RT @bob: Why do you hate the overdraft fees so much?").status,
              question_status::auto_rejected);
}

}  // namespace
}  // namespace tribune

// event_learning_service through question_service on SQLite with the shipped model: decisions
// become labels, the correction reaches new questions, survives a restart, is reset by an
// admin, is picked up by another instance on the same database, and obeys the policy switch.

#include "core/service/question_service.hpp"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>

#include "core/classify/linear_classifier.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"

namespace tribune {
namespace {

class null_sink final : public event_sink {
public:
    void question_changed(const question_change&) override {}
};

const std::string source_dir = TRIBUNE_SOURCE_DIR;

// One server's worth of services on the database file.
struct instance {
    std::unique_ptr<sqlite_store> db;
    std::unique_ptr<question_service> service;
};

class event_learning_service_test : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto m = linear_classifier::load(source_dir + "/models/toxicity.tlm");
        ASSERT_TRUE(m.is_ok()) << m.error().message();
        model_ = std::move(m.value()).release();
    }
    static void TearDownTestSuite() {
        delete model_;
        model_ = nullptr;
    }

    instance open() {
        instance i;
        auto db = sqlite_store::open(dir_.file("t.db"), source_dir + "/migrations");
        EXPECT_TRUE(db.is_ok()) << db.error().message();
        i.db = std::move(db.value());
        service_options o;
        o.learning_poll = std::chrono::hours(1);  // refreshes only when told, in these tests
        i.service = std::make_unique<question_service>(*i.db, *model_, sink_, o);
        EXPECT_TRUE(i.service->start().is_ok());
        return i;
    }

    static question submit(question_service& s, const std::string& text) {
        std::promise<result<submit_outcome>> done;
        auto fut = done.get_future();
        submission sub;
        sub.event_slug = "demo";
        sub.text = text;
        status st = s.submit(std::move(sub), [&](result<submit_outcome> r) { done.set_value(std::move(r)); });
        EXPECT_TRUE(st.is_ok()) << st.message();
        auto r = fut.get();
        EXPECT_TRUE(r.is_ok());
        return r.is_ok() ? r->q : question{};
    }

    // Submits every text, then decides each as a moderator; returns how many decisions
    // changed a status (those are labels; approving an approved question changes nothing).
    static int decide_all(question_service& s, const std::vector<std::string>& texts, const char* action) {
        std::vector<question> qs;
        for (const std::string& t : texts) qs.push_back(submit(s, t));
        int changed = 0;
        for (const question& q : qs) {
            auto d = s.decide({q.id, action, "alice", "", {}});
            EXPECT_TRUE(d.is_ok()) << d.error().message();
            if (d && d->version != q.version) ++changed;
        }
        return changed;
    }

    // Refreshes the event's correction now (the trainer thread would, moments later).
    static void learn(question_service& s) {
        auto ev = s.learning("demo");
        ASSERT_TRUE(ev.is_ok()) << ev.error().message();
    }

    // The event's correction's shift for a text, as a new question would get it.
    static float delta_of(question_service& s, const std::string& text) {
        auto q = submit(s, text);
        return q.correction ? q.correction->delta : 0.0f;
    }

    static std::vector<std::string> numbered(const std::string& pattern, int n) {
        std::vector<std::string> out;
        for (int i = 0; i < n; ++i) out.push_back(pattern + " #" + std::to_string(i));
        return out;
    }

    testing::temp_dir dir_;
    null_sink sink_;
    static linear_classifier* model_;
};

linear_classifier* event_learning_service_test::model_ = nullptr;

// An event where moderators reject a nickname for the CEO and approve pointed questions; the
// shipped model sends both to review.
const std::vector<std::string> nouns = {"mortgages", "savings", "pensions", "paychecks", "homes",
                                        "farms",     "tuition", "rent",     "wages",     "dividends",
                                        "deposits",  "bonuses", "benefits", "healthcare", "loans",
                                        "credit",    "insurance", "stocks", "retirement", "taxes",
                                        "overtime",  "tips",    "allowances", "grants",  "royalties",
                                        "commissions", "refunds", "rebates", "coupons",  "vouchers"};
const std::vector<std::string> places = {"Detroit", "Cleveland", "Memphis", "Baltimore", "Newark",
                                         "Camden",  "Flint",     "Gary",    "Toledo",    "Akron",
                                         "Dayton",  "Fresno",    "Stockton", "Tucson",   "Birmingham",
                                         "Jackson", "Shreveport", "Macon",  "Albany",    "Erie"};

std::vector<std::string> nickname_questions(std::size_t n) {
    static const char* verbs[] = {"steals", "drains", "eats", "wants", "devours"};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(std::string("Dimon the bloodsucker ") + verbs[i % 5] + " our " + nouns.at(i));
    return out;
}

std::vector<std::string> pointed_questions(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(i % 2 == 0 ? "Why do you keep closing branches in poor neighbourhoods of " + places[i / 2 % places.size()] + " while paying huge bonuses?"
                                 : "Will you lay off more people in " + places[i / 2 % places.size()] + " this year while paying huge bonuses?");
    return out;
}

const std::string probe = "Dimon the bloodsucker swallows our scholarships";
// A pointed question of the kind the moderators approve, just inside the shipped model's
// review band (toxicity 0.32, review from 0.28; without "while paying huge bonuses" the model
// approves it on its own, 0.20).
const std::string genuine_probe = "Why do you keep closing branches in poor neighborhoods of Springfield while paying huge bonuses?";

TEST_F(event_learning_service_test, decisions_are_labels_counted_per_class) {
    instance a = open();
    EXPECT_EQ(submit(*a.service, probe).status, question_status::pending);
    const int hostile = decide_all(*a.service, nickname_questions(12), "reject");
    const int genuine = decide_all(*a.service, pointed_questions(9), "approve");
    EXPECT_EQ(hostile, 12);
    EXPECT_GE(genuine, 7);  // the shipped model approves a few of them already
    auto r = a.service->learning("demo");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->counts.hostile_groups, hostile);
    EXPECT_EQ(r->counts.genuine_groups, genuine);
    EXPECT_EQ(r->counts.questions(), hostile + genuine);
    EXPECT_NEAR(r->bound, 4.0f * genuine / (genuine + 40), 1e-5);
    EXPECT_TRUE(r->enabled);
}

TEST_F(event_learning_service_test, decisions_on_a_theme_move_a_new_question_on_it_out_of_review) {
    instance a = open();
    question before = submit(*a.service, genuine_probe);
    ASSERT_EQ(before.status, question_status::pending) << "the shipped model alone: " << before.verdict;
    EXPECT_FALSE(before.correction);
    question hostile_before = submit(*a.service, probe);
    ASSERT_EQ(hostile_before.status, question_status::pending) << hostile_before.verdict;
    decide_all(*a.service, nickname_questions(30), "reject");
    decide_all(*a.service, pointed_questions(30), "approve");
    learn(*a.service);

    // A new question like those approved leaves review: approved.
    question after = submit(*a.service, genuine_probe);
    EXPECT_EQ(after.status, question_status::approved) << after.verdict;
    ASSERT_TRUE(after.correction);
    EXPECT_LT(after.correction->delta, 0.0f);
    EXPECT_EQ(after.correction->moved_from, question_status::pending);
    EXPECT_NE(after.verdict.find("event correction"), std::string::npos) << after.verdict;
    // The raw scores are kept: the same as before the event learned anything.
    EXPECT_EQ(after.scored.values.values, before.scored.values.values);
    // One like those rejected is pushed the other way, by at most the bound.
    question hostile_after = submit(*a.service, probe);
    ASSERT_TRUE(hostile_after.correction);
    EXPECT_GT(hostile_after.correction->delta, 0.0f);
    EXPECT_LE(hostile_after.correction->delta, a.service->learning("demo")->bound);
    // The word that carries the theme is among the words the report ranks.
    auto r = a.service->learning("demo");
    ASSERT_TRUE(r.is_ok());
    bool found = false;
    for (const auto& [word, shift] : r->top_words) found |= word == "bloodsucker" && shift > 0;
    EXPECT_TRUE(found);
}

TEST_F(event_learning_service_test, the_correction_survives_a_restart) {
    float learned = 0;
    int labels = 0;
    {
        instance a = open();
        labels += decide_all(*a.service, nickname_questions(20), "reject");
        labels += decide_all(*a.service, pointed_questions(20), "approve");
        learn(*a.service);
        learned = delta_of(*a.service, probe);
        ASSERT_GT(learned, 0.0f);
        a.service->stop();
    }
    instance b = open();  // rebuilt from the audit trail at start
    EXPECT_EQ(delta_of(*b.service, probe), learned);
    auto r = b.service->learning("demo");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->counts.groups(), labels);
}

TEST_F(event_learning_service_test, undone_and_restored_decisions_are_no_labels) {
    instance a = open();
    question q = submit(*a.service, nickname_questions(1)[0]);
    ASSERT_TRUE(a.service->decide({q.id, "reject", "alice", "", {}}).is_ok());
    question p = submit(*a.service, pointed_questions(1)[0]);
    ASSERT_TRUE(a.service->decide({p.id, "approve", "alice", "", {}}).is_ok());
    EXPECT_EQ(a.service->learning("demo")->counts.groups(), 2);
    ASSERT_TRUE(a.service->undo(q.id, "alice").is_ok());
    ASSERT_TRUE(a.service->decide({p.id, "hold", "alice", "", {}}).is_ok());
    EXPECT_EQ(a.service->learning("demo")->counts.groups(), 0);
}

TEST_F(event_learning_service_test, reset_forgets_the_labels_and_stays_reset_after_a_restart) {
    {
        instance a = open();
        decide_all(*a.service, nickname_questions(20), "reject");
        decide_all(*a.service, pointed_questions(20), "approve");
        learn(*a.service);
        ASSERT_GT(delta_of(*a.service, probe), 0.0f);
        auto r = a.service->reset_learning("demo", "root");
        ASSERT_TRUE(r.is_ok()) << r.error().message();
        EXPECT_EQ(r->counts.groups(), 0);
        EXPECT_EQ(r->bound, 0.0f);
        ASSERT_TRUE(r->reset);
        EXPECT_EQ(r->reset->by, "root");
        EXPECT_EQ(delta_of(*a.service, probe), 0.0f);
        // Decisions after the reset are labels again.
        decide_all(*a.service, {"Dimon the bloodsucker gobbles our annuities"}, "reject");
        EXPECT_EQ(a.service->learning("demo")->counts.groups(), 1);
        a.service->stop();
    }
    instance b = open();
    auto r = b.service->learning("demo");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->counts.groups(), 1);
    EXPECT_EQ(delta_of(*b.service, probe), 0.0f);  // one class of labels: bound 0
}

TEST_F(event_learning_service_test, another_instance_on_the_same_database_learns_the_same) {
    instance a = open();
    instance b = open();
    decide_all(*a.service, nickname_questions(20), "reject");
    decide_all(*a.service, pointed_questions(20), "approve");
    learn(*a.service);
    ASSERT_TRUE(b.service->learning_service().refresh(1).is_ok());  // what b's poll does
    EXPECT_EQ(delta_of(*b.service, probe), delta_of(*a.service, probe));
    ASSERT_TRUE(a.service->reset_learning("demo", "root").is_ok());
    ASSERT_TRUE(b.service->learning_service().refresh(1).is_ok());
    EXPECT_EQ(b.service->learning("demo")->counts.groups(), 0);
}

TEST_F(event_learning_service_test, the_policy_switch_turns_the_correction_off) {
    instance a = open();
    decide_all(*a.service, nickname_questions(30), "reject");
    decide_all(*a.service, pointed_questions(30), "approve");
    learn(*a.service);
    auto p = a.service->policy("demo");
    ASSERT_TRUE(p.is_ok());
    p->learn_from_decisions = false;
    ASSERT_TRUE(a.service->set_policy("demo", *p).is_ok());
    question off = submit(*a.service, genuine_probe);
    EXPECT_EQ(off.status, question_status::pending);
    EXPECT_FALSE(off.correction);
    EXPECT_FALSE(a.service->learning("demo")->enabled);
    EXPECT_FALSE(a.service->policy("demo")->learn_from_decisions);
    // The dry-run of turning it on again shows what the correction would change now.
    p->learn_from_decisions = true;
    auto dry = a.service->dry_run("demo", *p);
    ASSERT_TRUE(dry.is_ok());
    EXPECT_GT(dry->moved_by_correction, 0);
    EXPECT_LE(dry->moved_by_correction, dry->would_move);
}

}  // namespace
}  // namespace tribune

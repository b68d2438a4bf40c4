#include "core/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

class sqlite_store_test : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = sqlite_store::open(dir_.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(s.is_ok()) << s.error().message();
        db_ = std::move(s.value());
        auto ev = db_->find_event("demo");
        ASSERT_TRUE(ev.is_ok());
        demo_ = *ev;
    }

    question make(const std::string& text, question_status st = question_status::pending) {
        question q;
        q.event_id = demo_.id;
        q.event = demo_.slug;
        q.text = text;
        q.status = st;
        q.verdict = "test verdict";
        q.scored.lang = "en";
        q.scored.values[attribute::insult] = 0.75f;
        q.scored.spans.push_back({2, 5, attribute::insult, 0.5f, ""});
        return q;
    }

    temp_dir dir_;
    std::unique_ptr<sqlite_store> db_;
    event_info demo_;
};

TEST_F(sqlite_store_test, fresh_database_has_the_demo_event) {
    EXPECT_EQ(demo_.slug, "demo");
    auto events = db_->list_events();
    ASSERT_TRUE(events.is_ok());
    EXPECT_EQ(events->size(), 1u);
}

TEST_F(sqlite_store_test, create_event_rejects_duplicate_slug) {
    ASSERT_TRUE(db_->create_event({"townhall", "Town hall", true}).is_ok());
    auto dup = db_->create_event({"townhall", "Again", false});
    ASSERT_FALSE(dup.is_ok());
    EXPECT_EQ(dup.error().code(), "event_exists");
    auto found = db_->find_event("townhall");
    ASSERT_TRUE(found.is_ok());
    EXPECT_TRUE(found->premoderate);
    EXPECT_EQ(found->title, "Town hall");
    EXPECT_EQ(db_->find_event("nope").error().code(), "event_not_found");
}

TEST_F(sqlite_store_test, insert_batch_round_trips_scores_spans_and_audit_row) {
    auto r = db_->insert_batch({make("you idiot"), make("hello", question_status::approved)});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    ASSERT_EQ(r->size(), 2u);
    EXPECT_TRUE((*r)[0].inserted);
    const auto id = (*r)[0].stored.id;
    EXPECT_GT(id, 0);
    EXPECT_GT((*r)[1].stored.id, id);

    auto q = db_->get_question(id);
    ASSERT_TRUE(q.is_ok());
    EXPECT_EQ(q->text, "you idiot");
    EXPECT_EQ(q->event, "demo");
    EXPECT_EQ(q->status, question_status::pending);
    EXPECT_EQ(q->version, 1);
    EXPECT_FLOAT_EQ(q->scored.values[attribute::insult], 0.75f);
    EXPECT_EQ(q->scored.lang, "en");
    ASSERT_EQ(q->scored.spans.size(), 1u);
    EXPECT_EQ(q->scored.spans[0].start, 2u);
    EXPECT_EQ(q->scored.spans[0].end, 5u);
    EXPECT_EQ(q->scored.spans[0].attr, attribute::insult);

    auto audit = db_->list_decisions(id);
    ASSERT_TRUE(audit.is_ok());
    ASSERT_EQ(audit->size(), 1u);
    EXPECT_EQ((*audit)[0].actor, "triage");
    EXPECT_FALSE((*audit)[0].from.has_value());
    EXPECT_EQ((*audit)[0].to, question_status::pending);
    EXPECT_EQ((*audit)[0].reason, "test verdict");
}

TEST_F(sqlite_store_test, same_external_id_is_stored_once_even_within_a_batch) {
    question a = make("first");
    a.source = "twitter";
    a.external_id = "42";
    question b = make("retry with other text");
    b.source = "twitter";
    b.external_id = "42";
    question c = make("other source");
    c.source = "cms";
    c.external_id = "42";
    auto r = db_->insert_batch({a, b, c});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_TRUE((*r)[0].inserted);
    EXPECT_FALSE((*r)[1].inserted);
    EXPECT_EQ((*r)[1].stored.id, (*r)[0].stored.id);
    EXPECT_EQ((*r)[1].stored.text, "first");
    EXPECT_TRUE((*r)[2].inserted);

    auto again = db_->insert_batch({b});
    ASSERT_TRUE(again.is_ok());
    EXPECT_FALSE((*again)[0].inserted);
    auto found = db_->find_external(demo_.id, "twitter", "42");
    ASSERT_TRUE(found.is_ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->id, (*r)[0].stored.id);
}

TEST_F(sqlite_store_test, keyset_pagination_has_no_gaps_or_duplicates) {
    std::vector<question> qs;
    for (int i = 0; i < 7; ++i) qs.push_back(make("q" + std::to_string(i)));
    ASSERT_TRUE(db_->insert_batch(qs).is_ok());
    question_query q;
    q.event_slug = "demo";
    q.limit = 3;
    std::vector<std::string> seen;
    std::vector<std::size_t> sizes;
    for (;;) {
        auto page = db_->list_questions(q);
        ASSERT_TRUE(page.is_ok());
        sizes.push_back(page->items.size());
        for (auto& item : page->items) seen.push_back(item.text);
        if (!page->next_after_id) break;
        q.after_id = page->next_after_id;
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
    EXPECT_EQ(seen, (std::vector<std::string>{"q6", "q5", "q4", "q3", "q2", "q1", "q0"}));

    question_query oldest;
    oldest.event_slug = "demo";
    oldest.order = list_order::oldest_first;
    oldest.limit = 2;
    auto first = db_->list_questions(oldest);
    ASSERT_TRUE(first.is_ok());
    EXPECT_EQ(first->items[0].text, "q0");
    EXPECT_EQ(first->items[1].text, "q1");
}

TEST_F(sqlite_store_test, status_filter_and_counts) {
    ASSERT_TRUE(db_->insert_batch({make("a"), make("b", question_status::approved),
                                   make("c", question_status::held)})
                    .is_ok());
    question_query q;
    q.event_slug = "demo";
    q.statuses = {question_status::pending, question_status::held};
    auto page = db_->list_questions(q);
    ASSERT_TRUE(page.is_ok());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].text, "c");
    EXPECT_EQ(page->items[1].text, "a");
    auto counts = db_->count_by_status(demo_.id);
    ASSERT_TRUE(counts.is_ok());
    EXPECT_EQ((*counts)[question_status::pending], 1);
    EXPECT_EQ((*counts)[question_status::approved], 1);
    EXPECT_EQ((*counts)[question_status::held], 1);
    EXPECT_EQ((*counts)[question_status::rejected], 0);
}

TEST_F(sqlite_store_test, decision_updates_status_version_and_appends_audit) {
    auto r = db_->insert_batch({make("x")});
    const auto id = (*r)[0].stored.id;
    decision_request d{id, question_status::approved, "approve", "alice", "fine", 1};
    auto out = db_->apply_decision(d);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    EXPECT_TRUE(out->changed);
    EXPECT_EQ(out->from, question_status::pending);
    EXPECT_EQ(out->updated.status, question_status::approved);
    EXPECT_EQ(out->updated.version, 2);

    // A stale version is refused and changes nothing.
    decision_request stale{id, question_status::rejected, "reject", "bob", "", 1};
    auto conflict = db_->apply_decision(stale);
    ASSERT_FALSE(conflict.is_ok());
    EXPECT_EQ(conflict.error().code(), "version_conflict");
    EXPECT_EQ(db_->get_question(id)->status, question_status::approved);

    auto audit = db_->list_decisions(id);
    ASSERT_EQ(audit->size(), 2u);
    EXPECT_EQ((*audit)[1].actor, "alice");
    EXPECT_EQ((*audit)[1].from, question_status::pending);
    EXPECT_EQ((*audit)[1].to, question_status::approved);
    EXPECT_EQ((*audit)[1].reason, "fine");

    EXPECT_EQ(db_->apply_decision({9999, question_status::approved, "approve", "a", "", {}})
                  .error()
                  .code(),
              "question_not_found");
}

TEST_F(sqlite_store_test, audit_trail_is_append_only) {
    auto r = db_->insert_batch({make("x")});
    ASSERT_TRUE(r.is_ok());
    auto raw = sqlite_connection::open(dir_.file("t.db"), false);
    ASSERT_TRUE(raw.is_ok());
    EXPECT_FALSE(raw->exec("UPDATE decisions SET actor = 'mallory'").is_ok());
    EXPECT_FALSE(raw->exec("DELETE FROM decisions").is_ok());
    EXPECT_EQ((*db_->list_decisions((*r)[0].stored.id))[0].actor, "triage");
}

TEST_F(sqlite_store_test, reads_proceed_from_several_threads) {
    ASSERT_TRUE(db_->insert_batch({make("a"), make("b")}).is_ok());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                question_query q;
                q.event_slug = "demo";
                if (auto p = db_->list_questions(q); p.is_ok() && p->items.size() == 2) ++ok;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 400);
}

}  // namespace
}  // namespace tribune

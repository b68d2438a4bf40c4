// The store interfaces' contract, run against every backend: the SQLite store, the PostgreSQL
// store (on a fresh database of the test cluster, tests/postgres/pg-cluster; skipped, saying
// why, only when no PostgreSQL server is installed) and the in-memory fake the service tests
// use. What one backend does, the others must do alike.

#include <gtest/gtest.h>

#include <algorithm>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/service/export_service.hpp"
#include "core/service/stats_service.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/memory_store.hpp"
#include "core/text/prepared_text.hpp"
#include "core/util/wall_clock.hpp"
#include "core/store/source_store.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/postgres/test_postgres.hpp"

namespace tribune {
namespace {

struct backend {
    std::string name;
    // nullptr with *skip set: the backend is not available here (the reason).
    std::function<std::unique_ptr<store>(const testing::temp_dir&, std::string* skip)> open;
};

std::string name_of(const ::testing::TestParamInfo<backend>& p) { return p.param.name; }

class store_contract : public ::testing::TestWithParam<backend> {
protected:
    void SetUp() override {
        std::string skip;
        db_ = GetParam().open(dir_, &skip);
        if (db_ == nullptr && !skip.empty()) GTEST_SKIP() << skip;
        ASSERT_NE(db_, nullptr);
        demo_ = db_->find_event("demo").value();
    }

    question_insert make(const std::string& text, question_status st = question_status::pending,
                         group_choice group = {}) {
        question_insert in;
        in.q.event_id = demo_.id;
        in.q.text = text;
        in.q.status = st;
        in.q.verdict = "verdict of " + text;
        in.q.scored.lang = "en";
        in.q.scored.spans.push_back({0, 1, attribute::insult, 0.5f, ""});
        in.search_text = prepare_text(text)->normal.text;
        in.group = group;
        return in;
    }
    std::vector<question> insert(std::vector<question_insert> rows) {
        auto r = db_->insert_batch(rows);
        EXPECT_TRUE(r.is_ok()) << r.error().message();
        std::vector<question> out;
        if (r) for (auto& o : *r) out.push_back(o.stored);
        return out;
    }
    decision_request decide(std::int64_t id, question_status to, const std::string& actor) {
        decision_request d;
        d.question_id = id;
        d.to = to;
        d.action = std::string(to_string(to));
        d.actor = actor;
        return d;
    }
    std::vector<std::string> texts(const question_query& q) {
        std::vector<std::string> out;
        auto page = db_->list_questions(q);
        EXPECT_TRUE(page.is_ok()) << page.error().message();
        if (page) for (const question& x : page->items) out.push_back(x.text);
        return out;
    }

    testing::temp_dir dir_;
    std::unique_ptr<store> db_;
    event_info demo_;
};

TEST_P(store_contract, events_and_policies) {
    EXPECT_EQ(db_->create_event({"demo", "Again", false}).error().code(), "event_exists");
    EXPECT_EQ(db_->find_event("nope").error().code(), "event_not_found");
    auto ev = db_->create_event({"townhall", "Town hall", true});
    ASSERT_TRUE(ev.is_ok());
    EXPECT_EQ(db_->list_events()->size(), 2u);
    auto p = db_->get_policy(ev->id);
    ASSERT_TRUE(p.is_ok());
    EXPECT_TRUE(p->premoderate);
    EXPECT_FLOAT_EQ(p->thresholds.at(attribute::threat).reject_above,
                    triage_policy::defaults().at(attribute::threat).reject_above);
    event_policy changed;
    changed.premoderate = false;
    changed.banned = {"scam", "fraud", "scam"};
    changed.suspect = {"lawsuit"};
    changed.thresholds.at(attribute::insult) = {0.3f, 0.6f};
    ASSERT_TRUE(db_->save_policy(ev->id, changed).is_ok());
    p = db_->get_policy(ev->id);
    EXPECT_FALSE(p->premoderate);
    EXPECT_EQ(p->banned, (std::vector<std::string>{"scam", "fraud"}));
    EXPECT_EQ(p->suspect, (std::vector<std::string>{"lawsuit"}));
    EXPECT_FLOAT_EQ(p->thresholds.at(attribute::insult).review_above, 0.3f);
    EXPECT_FALSE(db_->find_event("townhall")->premoderate);
    EXPECT_EQ(db_->get_policy(9999).error().code(), "event_not_found");
    EXPECT_EQ(db_->save_policy(9999, changed).code(), "event_not_found");
}

TEST_P(store_contract, inserts_write_the_chosen_groups_and_skip_known_identities) {
    question_insert a = make("first");
    a.q.source = "twitter";
    a.q.external_id = "1";
    question_insert again = make("first, retried");
    again.q.source = "twitter";
    again.q.external_id = "1";
    auto r = db_->insert_batch({a, make("second", question_status::pending,
                                        group_choice::join_item(0)),
                                again, make("third", question_status::pending,
                                            group_choice::join_item(2))});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    const question& first = (*r)[0].stored;
    EXPECT_EQ(first.cluster_id, first.id);
    EXPECT_EQ((*r)[1].stored.cluster_id, first.id);
    EXPECT_EQ((*r)[1].stored.cluster_size, 2);
    EXPECT_FALSE((*r)[2].inserted);
    EXPECT_EQ((*r)[2].stored.id, first.id);
    EXPECT_EQ((*r)[2].stored.text, "first");
    // Joining the group of an item that was not stored: the stored question's group.
    EXPECT_EQ((*r)[3].stored.cluster_id, first.id);
    EXPECT_EQ((*r)[3].stored.cluster_size, 3);
    auto later = insert({make("fourth", question_status::pending, group_choice::join(first.id))});
    EXPECT_EQ(later[0].cluster_size, 4);
    EXPECT_EQ(db_->get_question(first.id)->cluster_size, 4);

    auto got = db_->get_question(first.id);
    ASSERT_TRUE(got.is_ok());
    EXPECT_EQ(got->event, "demo");
    EXPECT_EQ(got->version, 1);
    ASSERT_EQ(got->scored.spans.size(), 1u);
    EXPECT_EQ(got->scored.spans[0].attr, attribute::insult);
    auto audit = db_->list_decisions(first.id);
    ASSERT_EQ(audit->size(), 1u);
    EXPECT_EQ((*audit)[0].actor, "triage");
    EXPECT_EQ((*audit)[0].action, "auto");
    EXPECT_EQ((*audit)[0].reason, "verdict of first");
    EXPECT_TRUE(db_->find_external(demo_.id, "twitter", "1")->has_value());
    EXPECT_FALSE(db_->find_external(demo_.id, "", "1")->has_value());
    EXPECT_EQ(db_->get_question(9999).error().code(), "question_not_found");

    auto bad = db_->insert_batch({make("x", question_status::pending, group_choice::join_item(0))});
    ASSERT_FALSE(bad.is_ok());
    EXPECT_EQ(db_->count_by_status(demo_.id)->at(question_status::pending), 4);
}

TEST_P(store_contract, a_retry_of_a_question_stored_in_the_same_batch_answers_with_its_final_group) {
    auto identity = [](question_insert in, const std::string& id) {
        in.q.source = "form";
        in.q.external_id = id;
        return in;
    };
    const question old = insert({identity(make("old"), "a")})[0];
    // 0 retries "a" (stored before); 1 joins 0's group, so the stored group of "a"; 2 retries
    // 1, so it answers with 1, whose group is "a"'s; 3 joins 2; 4 retries 3 inside the batch.
    auto r = db_->insert_batch({identity(make("old again"), "a"),
                                identity(make("joins a", question_status::pending,
                                              group_choice::join_item(0)), "b"),
                                identity(make("b again"), "b"),
                                identity(make("joins b", question_status::pending,
                                              group_choice::join_item(2)), "c"),
                                identity(make("c again"), "c")});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    ASSERT_EQ(r->size(), 5u);
    EXPECT_FALSE((*r)[0].inserted);
    EXPECT_EQ((*r)[0].stored.id, old.id);
    EXPECT_TRUE((*r)[1].inserted);
    EXPECT_EQ((*r)[1].stored.cluster_id, old.cluster_id);
    EXPECT_FALSE((*r)[2].inserted);
    EXPECT_EQ((*r)[2].stored.id, (*r)[1].stored.id);
    EXPECT_EQ((*r)[2].stored.text, "joins a");
    EXPECT_TRUE((*r)[3].inserted);
    EXPECT_EQ((*r)[3].stored.cluster_id, old.cluster_id);
    EXPECT_EQ((*r)[3].stored.cluster_size, 3);
    EXPECT_FALSE((*r)[4].inserted);
    EXPECT_EQ((*r)[4].stored.id, (*r)[3].stored.id);
    EXPECT_EQ(db_->get_question(old.id)->cluster_size, 3);
    EXPECT_EQ(db_->get_question((*r)[3].stored.id)->cluster_id, old.cluster_id);
    EXPECT_EQ(db_->count_by_status(demo_.id)->at(question_status::pending), 3);
    EXPECT_EQ(db_->list_decisions((*r)[1].stored.id)->size(), 1u);
}

TEST_P(store_contract, pages_filter_sort_and_continue_exactly) {
    const char* t[] = {"Quand les frais baissent-ils ?", "you absolute idiot", "fees fees",
                       "another idiot", "Sh1t happens with fees"};
    const float insult[] = {0.1f, 0.9f, 0.5f, 0.9f, 0.3f};
    std::vector<question_insert> rows;
    for (int i = 0; i < 5; ++i) {
        question_insert in = make(t[i], i == 2 ? question_status::held : question_status::pending);
        in.q.scored.values[attribute::insult] = insult[i];
        in.q.scored.lang = i == 0 ? "fr" : "en";
        if (i % 2 == 0) in.q.author = "ana";
        rows.push_back(in);
    }
    insert(rows);
    question_query q;
    q.event_slug = "demo";
    EXPECT_EQ(texts(q).front(), "Sh1t happens with fees");
    q.filter.statuses = {question_status::held};
    EXPECT_EQ(texts(q), (std::vector<std::string>{"fees fees"}));
    q.filter = {};
    q.filter.author = "ana";
    EXPECT_EQ(texts(q).size(), 3u);
    q.filter = {};
    q.filter.lang = "fr";
    EXPECT_EQ(texts(q).size(), 1u);
    q.filter = {};
    q.filter.score_attr = attribute::insult;
    q.filter.min_score = 0.5f;
    EXPECT_EQ(texts(q), (std::vector<std::string>{"another idiot", "fees fees", "you absolute idiot"}));
    q.filter = {};
    q.filter.search = "FRAIS";
    EXPECT_EQ(texts(q), (std::vector<std::string>{"Quand les frais baissent-ils ?"}));
    q.filter.search = "shit fees";
    EXPECT_EQ(texts(q), (std::vector<std::string>{"Sh1t happens with fees"}));
    q.filter.search = "idi*";
    EXPECT_EQ(texts(q).size(), 2u);

    q.filter = {};
    q.sort = question_sort::severity;
    q.limit = 2;
    std::vector<std::string> seen;
    for (;;) {
        auto page = db_->list_questions(q);
        ASSERT_TRUE(page.is_ok());
        for (const question& x : page->items) seen.push_back(x.text);
        if (!page->next) break;
        q.after = page->next;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"another idiot", "you absolute idiot", "fees fees",
                                              "Sh1t happens with fees",
                                              "Quand les frais baissent-ils ?"}));
    q = {};
    q.event_slug = "demo";
    q.sort = question_sort::oldest;
    q.limit = 4;
    auto page = db_->list_questions(q);
    EXPECT_EQ(page->items.front().text, "Quand les frais baissent-ils ?");
    ASSERT_TRUE(page->next.has_value());
    q.after = page->next;
    EXPECT_EQ(texts(q), (std::vector<std::string>{"Sh1t happens with fees"}));
    q.event_slug = "nope";
    EXPECT_EQ(db_->list_questions(q).error().code(), "event_not_found");
}

TEST_P(store_contract, the_scan_of_external_ids_lists_every_identity_once) {
    std::vector<question_insert> rows;
    for (int i = 0; i < 5; ++i) {
        question_insert in = make("identified " + std::to_string(i));
        if (i < 4) in.q.external_id = "x" + std::to_string(i);
        if (i % 2 == 1) in.q.source = "tweets";
        rows.push_back(in);
    }
    insert(rows);
    std::vector<std::string> seen;
    ASSERT_TRUE(db_->scan_external_ids([&](std::int64_t event_id, std::string_view source,
                                           std::string_view external_id) {
                       seen.push_back(std::to_string(event_id) + "|" + std::string(source) + "|" +
                                      std::string(external_id));
                   }).is_ok());
    std::sort(seen.begin(), seen.end());
    const std::string e = std::to_string(demo_.id);
    std::vector<std::string> want{e + "||x0", e + "||x2", e + "|tweets|x1", e + "|tweets|x3"};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(seen, want);
}

TEST_P(store_contract, every_question_of_a_long_page_carries_its_own_spans) {
    // Pages longer than the store reads spans for at once, and of lengths between its lists.
    std::vector<question_insert> rows;
    for (int i = 0; i < 150; ++i) {
        question_insert in = make("question number " + std::to_string(i));
        in.q.scored.spans.clear();
        for (int k = 0; k < i % 3; ++k)
            in.q.scored.spans.push_back({static_cast<std::size_t>(k), static_cast<std::size_t>(k + 1 + i),
                                         attribute::insult, 0.5f, ""});
        rows.push_back(in);
    }
    insert(rows);
    for (std::size_t limit : {1u, 5u, 9u, 64u, 65u, 150u}) {
        question_query q;
        q.event_slug = "demo";
        q.sort = question_sort::oldest;
        q.limit = limit;
        auto page = db_->list_questions(q);
        ASSERT_TRUE(page.is_ok()) << page.error().message();
        ASSERT_EQ(page->items.size(), limit);
        for (const question& x : page->items) {
            const int i = std::stoi(x.text.substr(std::string("question number ").size()));
            ASSERT_EQ(x.scored.spans.size(), static_cast<std::size_t>(i % 3)) << x.text << " limit " << limit;
            for (std::size_t k = 0; k < x.scored.spans.size(); ++k) {
                EXPECT_EQ(x.scored.spans[k].start, k) << x.text;
                EXPECT_EQ(x.scored.spans[k].end, k + 1 + static_cast<std::size_t>(i)) << x.text;
            }
        }
    }
}

TEST_P(store_contract, decisions_conflicts_undo_and_the_audit_trail) {
    auto qs = insert({make("a"), make("b"), make("c", question_status::auto_rejected)});
    auto out = db_->apply_decision(decide(qs[0].id, question_status::approved, "alice"));
    ASSERT_TRUE(out.is_ok());
    EXPECT_TRUE(out->changed);
    EXPECT_EQ(out->updated.version, 2);
    auto same = db_->apply_decision(decide(qs[0].id, question_status::approved, "bob"));
    EXPECT_FALSE(same->changed);
    EXPECT_EQ(same->updated.version, 2);
    decision_request stale = decide(qs[1].id, question_status::rejected, "bob");
    stale.expected_version = 5;
    EXPECT_EQ(db_->apply_decision(stale).error().code(), "version_conflict");
    decision_request answer = decide(qs[2].id, question_status::answered, "exec");
    answer.allowed_from = {question_status::approved};
    EXPECT_EQ(db_->apply_decision(answer).error().code(), "invalid_transition");
    decision_request scoped = decide(qs[1].id, question_status::held, "bob");
    scoped.event_id = demo_.id + 100;
    EXPECT_EQ(db_->apply_decision(scoped).error().code(), "question_not_found");

    auto bulk = db_->apply_decisions({decide(qs[1].id, question_status::rejected, "bob"),
                                      decide(9999, question_status::rejected, "bob")});
    ASSERT_TRUE(bulk.is_ok());
    EXPECT_EQ((*bulk)[0]->updated.status, question_status::rejected);
    EXPECT_EQ((*bulk)[1].error().code(), "question_not_found");

    undo_request u{qs[1].id, "alice", 60'000};
    EXPECT_EQ(db_->undo_last(u).error().code(), "undo_unavailable");
    u.actor = "bob";
    auto undone = db_->undo_last(u);
    ASSERT_TRUE(undone.is_ok());
    EXPECT_EQ(undone->updated.status, question_status::pending);
    EXPECT_EQ(db_->undo_last(u).error().code(), "undo_unavailable");
    EXPECT_EQ(db_->undo_last({qs[2].id, "bob", 60'000}).error().code(), "undo_unavailable");
    EXPECT_EQ(db_->undo_last({9999, "bob", 60'000}).error().code(), "question_not_found");
    auto audit = db_->list_decisions(qs[1].id);
    ASSERT_EQ(audit->size(), 3u);
    EXPECT_EQ((*audit)[2].action, "undo");
    EXPECT_EQ((*audit)[2].reason, "undo rejected");
    EXPECT_EQ((*audit)[2].from, question_status::rejected);
    EXPECT_EQ(db_->list_decisions(9999).error().code(), "question_not_found");
    auto counts = db_->count_by_status(demo_.id);
    EXPECT_EQ(counts->at(question_status::approved), 1);
    EXPECT_EQ(counts->at(question_status::answered), 0);
}

TEST_P(store_contract, votes_and_the_shortlist) {
    auto qs = insert({make("a", question_status::approved), make("b")});
    EXPECT_EQ(db_->add_vote(qs[0].id, "v1")->votes, 1);
    EXPECT_EQ(db_->add_vote(qs[0].id, "v1")->votes, 1);
    EXPECT_EQ(db_->add_vote(qs[0].id, "v2")->votes, 2);
    EXPECT_EQ(db_->add_vote(qs[1].id, "v1").error().code(), "not_votable");
    EXPECT_EQ(db_->add_vote(9999, "v1").error().code(), "question_not_found");

    auto e = db_->shortlist_add(demo_.id, qs[0].id, "exec");
    ASSERT_TRUE(e.is_ok());
    EXPECT_EQ(e->added_by, "exec");
    EXPECT_EQ(db_->shortlist_add(demo_.id, qs[0].id, "other")->added_by, "exec");
    EXPECT_EQ(db_->shortlist_add(demo_.id, qs[1].id, "exec").error().code(), "not_shortlistable");
    EXPECT_EQ(db_->shortlist_add(demo_.id + 100, qs[0].id, "exec").error().code(),
              "question_not_found");
    EXPECT_EQ(db_->shortlist(demo_.id)->size(), 1u);
    EXPECT_EQ(db_->shortlist(demo_.id)->front().q.votes, 2);
    ASSERT_TRUE(db_->shortlist_remove(demo_.id, qs[0].id).is_ok());
    EXPECT_EQ(db_->shortlist_remove(demo_.id, qs[0].id).code(), "not_on_shortlist");
}

TEST_P(store_contract, the_shortlist_order_notes_and_answering_now) {
    auto qs = insert({make("a", question_status::approved), make("b", question_status::approved),
                      make("c", question_status::answered)});
    for (const question& q : qs) ASSERT_TRUE(db_->shortlist_add(demo_.id, q.id, "exec").is_ok());
    auto ids = [&] {
        std::vector<std::int64_t> out;
        auto listed = db_->shortlist(demo_.id);
        EXPECT_TRUE(listed.is_ok());
        if (listed) for (const shortlist_entry& e : *listed) out.push_back(e.q.id);
        return out;
    };
    EXPECT_EQ(ids(), (std::vector<std::int64_t>{qs[0].id, qs[1].id, qs[2].id}));
    auto reordered = db_->shortlist_reorder(demo_.id, {qs[2].id, qs[0].id, qs[1].id});
    ASSERT_TRUE(reordered.is_ok()) << reordered.error().message();
    EXPECT_EQ(reordered->front().q.id, qs[2].id);
    EXPECT_EQ(ids(), (std::vector<std::int64_t>{qs[2].id, qs[0].id, qs[1].id}));
    EXPECT_EQ(db_->shortlist_reorder(demo_.id, {qs[2].id, qs[0].id}).error().code(), "shortlist_changed");
    EXPECT_EQ(db_->shortlist_reorder(demo_.id, {qs[2].id, qs[0].id, qs[0].id}).error().code(),
              "shortlist_changed");

    shortlist_edit now;
    now.answering_now = true;
    ASSERT_TRUE(db_->shortlist_update(demo_.id, qs[0].id, now, "erin").is_ok());
    now.note = "we will";
    auto second = db_->shortlist_update(demo_.id, qs[1].id, now, "frank");
    ASSERT_TRUE(second.is_ok());
    EXPECT_TRUE(second->answering_since.has_value());
    EXPECT_EQ(second->note, "we will");
    EXPECT_EQ(second->note_by, "frank");
    int answering = 0;
    const auto listed = db_->shortlist(demo_.id).value();
    for (const shortlist_entry& e : listed) answering += e.answering_since ? 1 : 0;
    EXPECT_EQ(answering, 1) << "one at a time per event";
    shortlist_edit clear;
    clear.note = "";
    clear.answering_now = false;
    auto cleared = db_->shortlist_update(demo_.id, qs[1].id, clear, "erin");
    EXPECT_FALSE(cleared->answering_since.has_value());
    EXPECT_EQ(cleared->note_by, "");
    EXPECT_EQ(db_->shortlist_update(demo_.id, 9999, now, "erin").error().code(), "not_on_shortlist");

    // Taken back by a moderator: hidden, kept in its place, and ignored by a reorder.
    ASSERT_TRUE(db_->apply_decision(decide(qs[0].id, question_status::rejected, "mo")).is_ok());
    EXPECT_EQ(ids(), (std::vector<std::int64_t>{qs[2].id, qs[1].id}));
    EXPECT_EQ(db_->shortlist_update(demo_.id, qs[0].id, now, "erin").error().code(), "not_on_shortlist");
    ASSERT_TRUE(db_->shortlist_reorder(demo_.id, {qs[1].id, qs[2].id}).is_ok());
    ASSERT_TRUE(db_->apply_decision(decide(qs[0].id, question_status::approved, "mo")).is_ok());
    EXPECT_EQ(ids(), (std::vector<std::int64_t>{qs[1].id, qs[2].id, qs[0].id}));
    // A new entry goes last.
    auto d = insert({make("d", question_status::approved)});
    ASSERT_TRUE(db_->shortlist_add(demo_.id, d[0].id, "exec").is_ok());
    EXPECT_EQ(ids().back(), d[0].id);
}

TEST_P(store_contract, settings_and_the_question_probability) {
    auto s = db_->get_settings(demo_.id);
    ASSERT_TRUE(s.is_ok());
    EXPECT_FALSE(s->anonymous || s->executives_see_scores || s->display_public);
    event_settings changed;
    changed.anonymous = true;
    changed.display_public = true;
    ASSERT_TRUE(db_->save_settings(demo_.id, changed).is_ok());
    EXPECT_TRUE(db_->get_settings(demo_.id)->anonymous);
    EXPECT_FALSE(db_->get_settings(demo_.id)->executives_see_scores);
    EXPECT_TRUE(db_->get_settings(demo_.id)->display_public);
    EXPECT_EQ(db_->get_settings(9999).error().code(), "event_not_found");
    EXPECT_EQ(db_->save_settings(9999, changed).code(), "event_not_found");

    question_insert asked = make("is it?");
    asked.q.question_probability = 0.75f;
    auto qs = insert({asked, make("no model")});
    EXPECT_FLOAT_EQ(db_->get_question(qs[0].id)->question_probability.value_or(-1), 0.75f);
    EXPECT_FALSE(db_->get_question(qs[1].id)->question_probability.has_value());
}

TEST_P(store_contract, a_bridged_post_keeps_its_own_time_and_link) {
    const timestamp_ms before = wall_clock_ms();
    question_insert post = make("from a bridge?");
    post.q.source = "bluesky";
    post.q.external_id = "at://did:plc:a/app.bsky.feed.post/1";
    post.q.origin_url = "https://bsky.app/profile/did:plc:a/post/1";
    post.q.created_at = 1'714'557'600'000;  // 2024-05-01T10:00:00Z
    question_insert future = make("a wrong clock?");
    future.q.created_at = before + 3'600'000;
    auto qs = insert({post, future, make("from the API")});
    ASSERT_EQ(qs.size(), 3u);
    EXPECT_EQ(qs[0].created_at, 1'714'557'600'000);
    EXPECT_GE(qs[0].updated_at, before) << "updated_at is the arrival";
    const question stored = db_->get_question(qs[0].id).value();
    EXPECT_EQ(stored.created_at, 1'714'557'600'000);
    EXPECT_EQ(stored.origin_url, "https://bsky.app/profile/did:plc:a/post/1");
    const question later = db_->get_question(qs[1].id).value();
    EXPECT_GE(later.created_at, before);
    EXPECT_LT(later.created_at, before + 3'600'000) << "never later than its arrival";
    const question plain = db_->get_question(qs[2].id).value();
    EXPECT_GE(plain.created_at, before);
    EXPECT_FALSE(plain.origin_url.has_value());
}

TEST_P(store_contract, tokens_and_sessions) {
    auto admin = db_->create_token("root", role::admin, std::nullopt, "h1", "trb_abc", std::nullopt);
    auto mod = db_->create_token("alice", role::moderator, demo_.id, "h2", "trb_def", std::nullopt);
    auto analyst = db_->create_token("coral", role::analyst, std::nullopt, "h3", "trb_ghi",
                                     token_quota{60, 60});
    ASSERT_TRUE(admin.is_ok() && mod.is_ok() && analyst.is_ok());
    auto screen = db_->create_token("room", role::display, demo_.id, "h4", "trb_jkl", std::nullopt);
    ASSERT_TRUE(screen.is_ok()) << screen.error().message();
    EXPECT_EQ(screen->r, role::display);
    ASSERT_TRUE(db_->revoke_token(screen->id).is_ok());
    EXPECT_EQ(mod->event_slug, "demo");
    EXPECT_FALSE(mod->quota.has_value());
    auto found = db_->find_token("h3");
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->r, role::analyst);
    ASSERT_TRUE((*found)->quota.has_value());
    EXPECT_EQ((*found)->quota->requests, 60);
    EXPECT_EQ((*found)->quota->period_s, 60);
    EXPECT_TRUE(*db_->has_active_admin());
    EXPECT_EQ((*db_->find_token("h2"))->name, "alice");
    EXPECT_FALSE(db_->find_token("nope")->has_value());
    ASSERT_TRUE(db_->create_session("s1", mod->id, wall_clock_ms() + 60'000).is_ok());
    ASSERT_TRUE(db_->create_session("s2", mod->id, wall_clock_ms() - 1).is_ok());
    EXPECT_TRUE(db_->find_session("s1", wall_clock_ms())->has_value());
    EXPECT_FALSE(db_->find_session("s2", wall_clock_ms())->has_value());
    ASSERT_TRUE(db_->revoke_token(mod->id).is_ok());
    EXPECT_FALSE(db_->find_session("s1", wall_clock_ms())->has_value());
    EXPECT_TRUE((*db_->find_token("h2"))->revoked_at.has_value());
    EXPECT_EQ(db_->revoke_token(9999).code(), "token_not_found");
    ASSERT_TRUE(db_->revoke_token(admin->id).is_ok());
    EXPECT_FALSE(*db_->has_active_admin());
    EXPECT_EQ(db_->list_tokens()->size(), 4u);  // root, alice, coral, room
    ASSERT_TRUE(db_->create_session("s3", admin->id, wall_clock_ms() + 60'000).is_ok());
    ASSERT_TRUE(db_->delete_session("s3").is_ok());
}

TEST_P(store_contract, the_recent_window_streams_oldest_first) {
    ASSERT_TRUE(db_->create_event({"other", "Other", false}).is_ok());
    question_insert o = make("elsewhere");
    o.q.event_id = db_->find_event("other")->id;
    auto qs = insert({make("one"), make("two"), o, make("four", question_status::pending,
                                                       group_choice::join_item(0))});
    std::vector<grouping_row> rows;
    ASSERT_TRUE(db_->scan_recent_groups(3, [&](const grouping_row& r) { rows.push_back(r); }).is_ok());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].id, qs[1].id);
    EXPECT_EQ(rows[1].event_id, o.q.event_id);
    EXPECT_EQ(rows[2].cluster_id, qs[0].id);
    EXPECT_EQ(rows[2].group_text, "four");
    // One question's row, as the scan reads it (an index fed by other instances' commits).
    auto one = db_->grouping_of(qs[3].id);
    ASSERT_TRUE(one.is_ok() && one->has_value());
    EXPECT_EQ((*one)->id, qs[3].id);
    EXPECT_EQ((*one)->cluster_id, qs[0].id);
    EXPECT_EQ((*one)->group_text, "four");
    EXPECT_FALSE(db_->grouping_of(qs[3].id + 1000)->has_value());
    std::vector<std::int64_t> scanned;
    ASSERT_TRUE(db_->scan_questions(demo_.id, [&](const question& q) {
                       scanned.push_back(q.id);
                       EXPECT_TRUE(q.scored.spans.empty());
                   }).is_ok());
    EXPECT_EQ(scanned, (std::vector<std::int64_t>{qs[0].id, qs[1].id, qs[3].id}));
}

// Issue 10: the policy's new members, a group's decision and the members it moves, the
// group's count of members in review, the impact order, the grouping text.
TEST_P(store_contract, canonical_and_inheritance_settings_round_trip) {
    event_policy p;
    EXPECT_TRUE(db_->get_policy(demo_.id)->inherit_group_decisions);
    EXPECT_EQ(db_->get_policy(demo_.id)->canonical, canonical_options{});
    p.canonical.enabled = false;
    p.canonical.drop_links = false;
    p.canonical.event_tags = {"AskJPM", "#townhall", "AskJPM"};
    p.inherit_group_decisions = false;
    ASSERT_TRUE(db_->save_policy(demo_.id, p).is_ok());
    auto got = db_->get_policy(demo_.id);
    ASSERT_TRUE(got.is_ok());
    EXPECT_FALSE(got->canonical.enabled);
    EXPECT_FALSE(got->canonical.drop_links);
    EXPECT_TRUE(got->canonical.drop_mentions);
    EXPECT_EQ(got->canonical.event_tags, (std::vector<std::string>{"AskJPM", "#townhall"}));
    EXPECT_FALSE(got->inherit_group_decisions);
}

// The learning switches are stored, each on its own (the SQLite store: migrations 0009, 0012).
TEST_P(store_contract, learning_and_band_narrowing_switches_round_trip) {
    EXPECT_TRUE(db_->get_policy(demo_.id)->learn_from_decisions);
    EXPECT_TRUE(db_->get_policy(demo_.id)->narrow_review_band);
    // The seeded demo event of a new database has no question: it has the unsure rule on like
    // any new event (migrations 0016 / postgresql 0007).
    EXPECT_TRUE(db_->get_policy(demo_.id)->auto_decide_unsure);
    for (const auto& [learn, narrow] : {std::pair{true, false}, std::pair{false, true}, std::pair{true, true}}) {
        event_policy p;
        p.learn_from_decisions = learn;
        p.narrow_review_band = narrow;
        ASSERT_TRUE(db_->save_policy(demo_.id, p).is_ok());
        auto got = db_->get_policy(demo_.id);
        ASSERT_TRUE(got.is_ok());
        EXPECT_EQ(got->learn_from_decisions, learn);
        EXPECT_EQ(got->narrow_review_band, narrow);
    }
    // A new event takes event_policy's default: the unsure rule on.
    auto fresh = db_->create_event({"fresh", "Fresh", false});
    ASSERT_TRUE(fresh.is_ok());
    EXPECT_TRUE(db_->get_policy(fresh->id)->auto_decide_unsure);
    event_policy p;
    p.auto_decide_unsure = true;
    ASSERT_TRUE(db_->save_policy(demo_.id, p).is_ok());
    EXPECT_TRUE(db_->get_policy(demo_.id)->auto_decide_unsure);
    p.auto_decide_unsure = false;
    ASSERT_TRUE(db_->save_policy(demo_.id, p).is_ok());
    EXPECT_FALSE(db_->get_policy(demo_.id)->auto_decide_unsure);
}

TEST_P(store_contract, approving_a_group_confirms_its_unsure_rejections_and_rejecting_takes_down_unsure_approvals) {
    // Two members decided "auto-decided, unsure" (one each way), one decided by the policy
    // itself, then the member that reached review.
    question_insert unsure_no = make("unsure no", question_status::auto_rejected);
    unsure_no.unsure = true;
    question_insert unsure_yes = make("unsure yes", question_status::approved, group_choice::join_item(0));
    unsure_yes.unsure = true;
    auto qs = insert({unsure_no, unsure_yes,
                      make("policy no", question_status::auto_rejected, group_choice::join_item(0)),
                      make("in review", question_status::pending, group_choice::join_item(0))});
    EXPECT_EQ(db_->list_decisions(qs[0].id)->front().action, "unsure");
    EXPECT_EQ(db_->list_decisions(qs[2].id)->front().action, "auto");
    decision_request approve = decide(qs[3].id, question_status::approved, "alice");
    approve.action = "approve";
    auto out = db_->apply_decision(approve);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    ASSERT_EQ(out->members.size(), 1u);  // the unsure rejection, not the policy's own
    EXPECT_EQ(out->members[0].first.id, qs[0].id);
    EXPECT_EQ(out->members[0].second, question_status::auto_rejected);
    EXPECT_EQ(db_->get_question(qs[0].id)->status, question_status::approved);
    EXPECT_EQ(db_->get_question(qs[0].id)->verdict.rfind("inherited: group " + std::to_string(qs[0].id) +
                                                             " approved by alice", 0),
              0u);
    EXPECT_EQ(db_->list_decisions(qs[0].id)->back().action, "inherit");
    EXPECT_EQ(db_->get_question(qs[2].id)->status, question_status::auto_rejected);
    // The moderator changes their mind: the rejection takes down the unsure approval; the
    // confirmed one came from the withdrawn approval and goes back to review.
    decision_request reject = decide(qs[3].id, question_status::rejected, "bob");
    reject.action = "reject";
    auto down = db_->apply_decision(reject);
    ASSERT_TRUE(down.is_ok()) << down.error().message();
    EXPECT_EQ(db_->get_question(qs[1].id)->status, question_status::auto_rejected);
    EXPECT_EQ(db_->list_decisions(qs[1].id)->back().action, "inherit");
    EXPECT_EQ(db_->get_question(qs[0].id)->status, question_status::pending);
}

TEST_P(store_contract, a_decision_becomes_its_groups_and_withdrawing_it_releases_inheritors) {
    question_insert member = make("again", question_status::auto_rejected, group_choice::join_item(0));
    auto qs = insert({make("first"), make("copy", question_status::pending, group_choice::join_item(0))});
    decision_request reject = decide(qs[0].id, question_status::rejected, "alice");
    reject.action = "reject";
    auto out = db_->apply_decision(reject);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    ASSERT_TRUE(out->group.has_value());
    EXPECT_EQ(out->group->cluster_id, qs[0].id);
    ASSERT_TRUE(out->group->now.has_value());
    EXPECT_EQ(out->group->now->outcome, question_status::rejected);
    EXPECT_EQ(out->group->now->actor, "alice");
    EXPECT_EQ(out->group->now->question_id, qs[0].id);
    EXPECT_EQ(out->updated.cluster_review, 1);  // "copy" still waits
    std::vector<group_decision> seen;
    ASSERT_TRUE(db_->scan_group_decisions([&](const group_decision& g) { seen.push_back(g); }).is_ok());
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], *out->group->now);
    auto stored = db_->group_decision_of(qs[0].id);
    ASSERT_TRUE(stored.is_ok() && stored->has_value());
    EXPECT_EQ(**stored, *out->group->now);
    EXPECT_FALSE(db_->group_decision_of(qs[1].id + 1000)->has_value());

    // A later member inherited the rejection (ingest decided it; the store writes "inherit").
    member.group = group_choice::join(qs[0].id);
    member.inherited = true;
    member.q.verdict = "inherited: group " + std::to_string(qs[0].id) + " rejected by alice; own verdict: fine";
    auto inherited = insert({member});
    EXPECT_EQ(db_->list_decisions(inherited[0].id)->front().action, "inherit");
    EXPECT_EQ(inherited[0].cluster_size, 3);

    // Restoring the deciding question withdraws the decision: the inheritor goes back to review.
    decision_request restore = decide(qs[0].id, question_status::pending, "bob");
    restore.action = "restore";
    auto back = db_->apply_decision(restore);
    ASSERT_TRUE(back.is_ok()) << back.error().message();
    ASSERT_TRUE(back->group.has_value());
    EXPECT_FALSE(back->group->now.has_value());
    ASSERT_EQ(back->members.size(), 1u);
    const auto& [released, from] = back->members[0];
    EXPECT_EQ(released.id, inherited[0].id);
    EXPECT_EQ(from, question_status::auto_rejected);
    EXPECT_EQ(released.status, question_status::pending);
    EXPECT_EQ(released.verdict, "released: bob withdrew group " + std::to_string(qs[0].id) +
                                    "'s decision; own verdict: fine");
    EXPECT_EQ(released.cluster_review, 3);
    auto trail = db_->list_decisions(released.id);
    ASSERT_EQ(trail->size(), 2u);
    EXPECT_EQ((*trail)[1].action, "release");
    EXPECT_EQ((*trail)[1].actor, "triage");
    EXPECT_EQ(db_->undo_last({released.id, "triage", 60'000}).error().code(), "undo_unavailable");
    seen.clear();
    ASSERT_TRUE(db_->scan_group_decisions([&](const group_decision& g) { seen.push_back(g); }).is_ok());
    EXPECT_TRUE(seen.empty());
    EXPECT_FALSE(db_->group_decision_of(qs[0].id)->has_value()) << "withdrawn";
    // A decision on another member of a group whose decision it does not hold changes nothing.
    decision_request hold = decide(qs[1].id, question_status::held, "bob");
    hold.action = "hold";
    EXPECT_FALSE(db_->apply_decision(hold)->group.has_value());
}

TEST_P(store_contract, rejecting_a_group_takes_down_the_copies_the_triage_approved) {
    auto qs = insert({make("first", question_status::approved),
                      make("copy", question_status::approved, group_choice::join_item(0)),
                      make("flagged", question_status::pending, group_choice::join_item(0)),
                      make("shortlisted", question_status::approved, group_choice::join_item(0))});
    ASSERT_TRUE(db_->shortlist_add(demo_.id, qs[3].id, "exec").is_ok());
    decision_request reject = decide(qs[2].id, question_status::rejected, "alice");
    reject.action = "reject";
    auto out = db_->apply_decision(reject);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    ASSERT_EQ(out->members.size(), 2u);  // not the shortlisted one
    for (const auto& [m, from] : out->members) {
        EXPECT_EQ(from, question_status::approved);
        EXPECT_EQ(m.status, question_status::auto_rejected);
        EXPECT_EQ(m.verdict.rfind("inherited: group " + std::to_string(qs[0].id) + " rejected by alice", 0), 0u)
            << m.verdict;
        EXPECT_EQ(db_->list_decisions(m.id)->back().action, "inherit");
    }
    EXPECT_EQ(db_->get_question(qs[3].id)->status, question_status::approved);
    // Undoing the rejection releases them to review.
    auto undone = db_->undo_last({qs[2].id, "alice", 60'000});
    ASSERT_TRUE(undone.is_ok()) << undone.error().message();
    EXPECT_EQ(undone->members.size(), 2u);
    EXPECT_EQ(db_->get_question(qs[1].id)->status, question_status::pending);
    EXPECT_EQ(db_->get_question(qs[1].id)->cluster_review, 3);

    // Off for the event: a rejection leaves approved copies alone.
    event_policy off;
    off.inherit_group_decisions = false;
    ASSERT_TRUE(db_->save_policy(demo_.id, off).is_ok());
    auto more = insert({make("solo", question_status::pending), make("solo copy", question_status::approved,
                                                                     group_choice::join_item(0))});
    decision_request again = decide(more[0].id, question_status::rejected, "alice");
    again.action = "reject";
    EXPECT_TRUE(db_->apply_decision(again)->members.empty());
    EXPECT_EQ(db_->get_question(more[1].id)->status, question_status::approved);
}

TEST_P(store_contract, impact_orders_by_members_in_review_then_heat_and_keeps_groups_together) {
    auto qs = insert({make("solo"), make("pair"), make("pair 2", question_status::held, group_choice::join_item(1)),
                      make("trio"), make("trio 2", question_status::pending, group_choice::join_item(3)),
                      make("trio 3", question_status::pending, group_choice::join_item(3)),
                      make("settled", question_status::approved)});
    question_query q;
    q.event_slug = "demo";
    q.sort = question_sort::impact;
    q.filter.statuses = {question_status::pending, question_status::held};
    EXPECT_EQ(texts(q), (std::vector<std::string>{"trio 3", "trio 2", "trio", "pair 2", "pair", "solo"}));
    q.limit = 2;  // the same across pages
    std::vector<std::string> seen;
    for (;;) {
        auto page = db_->list_questions(q);
        ASSERT_TRUE(page.is_ok());
        for (const question& x : page->items) seen.push_back(x.text);
        if (!page->next) break;
        EXPECT_NE(page->next->group, 0);
        q.after = page->next;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"trio 3", "trio 2", "trio", "pair 2", "pair", "solo"}));
    // Two decisions in the trio: the pair now settles more.
    ASSERT_TRUE(db_->apply_decision(decide(qs[4].id, question_status::approved, "a")).is_ok());
    ASSERT_TRUE(db_->apply_decision(decide(qs[5].id, question_status::approved, "a")).is_ok());
    q.limit = 50;
    q.after.reset();
    EXPECT_EQ(texts(q), (std::vector<std::string>{"pair 2", "pair", "trio", "solo"}));
    EXPECT_EQ(db_->get_question(qs[3].id)->cluster_review, 1);
    // At equal counts the hotter group first: three new members make "solo" (4 arrivals)
    // grow faster than the trio (3).
    for (int i = 0; i < 3; ++i)
        insert({make("solo again", question_status::approved, group_choice::join(qs[0].id))});
    q.filter.statuses.clear();
    q.filter.cluster.reset();
    auto solo = db_->get_question(qs[0].id);
    auto trio = db_->get_question(qs[3].id);
    EXPECT_GT(solo->cluster_heat, trio->cluster_heat);
    q.filter.statuses = {question_status::pending, question_status::held};
    EXPECT_EQ(texts(q), (std::vector<std::string>{"pair 2", "pair", "solo", "trio"}));
}

TEST_P(store_contract, the_window_reads_the_grouping_text) {
    question_insert a = make("RT @bob: Fees? #AskJPM");
    a.group_text = "fees?";
    insert({a});
    std::vector<grouping_row> rows;
    ASSERT_TRUE(db_->scan_recent_groups(1, [&](const grouping_row& r) { rows.push_back(r); }).is_ok());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].group_text, "fees?");
}

TEST_P(store_contract, trails_of_several_questions_and_the_gauge_over_them) {
    auto qs = insert({make("budget one"), make("budget two", question_status::approved),
                      make("budget three", question_status::auto_rejected, group_choice::join_item(0))});
    ASSERT_EQ(qs.size(), 3u);
    ASSERT_TRUE(db_->apply_decision(decide(qs[0].id, question_status::rejected, "alice")).is_ok());
    auto trails = db_->list_decisions_of({qs[2].id, qs[0].id, 9999});
    ASSERT_TRUE(trails.is_ok());
    ASSERT_EQ(trails->size(), 3u);  // qs[0]: auto + reject; qs[2]: auto
    EXPECT_EQ((*trails)[0].question_id, qs[0].id);
    EXPECT_EQ((*trails)[0].action, "auto");
    EXPECT_EQ((*trails)[1].action, "rejected");
    EXPECT_EQ((*trails)[2].question_id, qs[2].id);
    EXPECT_TRUE(db_->list_decisions_of({})->empty());

    stats_service gauge(*db_, *db_);
    stats_query sq;
    sq.event_slug = "demo";
    auto st = gauge.compute(sq);
    ASSERT_TRUE(st.is_ok()) << st.error().message();
    EXPECT_EQ(st->total, 3);
    ASSERT_FALSE(st->groups.empty());
    EXPECT_EQ(st->groups[0].size, 2);
    EXPECT_EQ(st->groups[0].shown->text, "budget one");
    sq.public_only = true;
    st = gauge.compute(sq);
    ASSERT_TRUE(st.is_ok());
    EXPECT_EQ(st->total, 1);
    ASSERT_EQ(st->groups.size(), 1u);
    EXPECT_EQ(st->groups[0].shown->text, "budget two");

    export_service exports(*db_, *db_, *db_);
    auto cursor = exports.open("demo");
    ASSERT_TRUE(cursor.is_ok());
    auto page = cursor->next();
    ASSERT_TRUE(page.is_ok());
    EXPECT_EQ(page->items.size(), 3u);
    EXPECT_EQ(page->trail.size(), 4u);
    EXPECT_TRUE(cursor->done());
    EXPECT_EQ(exports.open("nope").error().code(), "event_not_found");
}

// feedback_store is not part of the aggregate; both backends implement it.
TEST_P(store_contract, suggestions_keep_their_scores_context_and_order) {
    auto* feedback = dynamic_cast<feedback_store*>(db_.get());
    ASSERT_NE(feedback, nullptr);
    suggestion s;
    s.text = "Fine. You idiot.";
    s.languages = {"en", "fr"};
    s.community_id = "Coral:https://news.example/";
    s.client_token = "comment:c-9";
    s.context = {{"the article", "PLAIN_TEXT"}, {"a reply", ""}};
    s.scores = {{"TOXICITY", std::nullopt, std::nullopt, 1.0f}, {"INSULT", 6, 16, 0.5f}};
    s.submitted_by = "coral";
    s.created_at = 1234;
    auto first = feedback->add_suggestion(s);
    ASSERT_TRUE(first.is_ok());
    suggestion t;
    t.text = "second";
    t.session_id = "sess-1";
    t.scores = {{"THREAT", std::nullopt, std::nullopt, 0.25f}};
    t.submitted_by = "coral";
    t.created_at = 1235;
    auto second = feedback->add_suggestion(t);
    ASSERT_TRUE(second.is_ok());
    EXPECT_GT(*second, *first);

    auto all = feedback->list_suggestions(0, 10);
    ASSERT_TRUE(all.is_ok());
    ASSERT_EQ(all->size(), 2u);
    const suggestion& a = (*all)[0];
    EXPECT_EQ(a.id, *first);
    EXPECT_EQ(a.text, s.text);
    EXPECT_EQ(a.languages, s.languages);
    EXPECT_EQ(a.community_id, s.community_id);
    EXPECT_EQ(a.client_token, s.client_token);
    EXPECT_FALSE(a.session_id.has_value());
    ASSERT_EQ(a.context.size(), 2u);
    EXPECT_EQ(a.context[0].text, "the article");
    EXPECT_EQ(a.context[0].type, "PLAIN_TEXT");
    EXPECT_EQ(a.context[1].type, "");
    ASSERT_EQ(a.scores.size(), 2u);
    EXPECT_FALSE(a.scores[0].span_begin.has_value());
    EXPECT_EQ(a.scores[1].attribute, "INSULT");
    EXPECT_EQ(a.scores[1].span_begin, 6u);
    EXPECT_EQ(a.scores[1].span_end, 16u);
    EXPECT_FLOAT_EQ(a.scores[1].value, 0.5f);
    EXPECT_EQ(a.submitted_by, "coral");
    EXPECT_EQ(a.created_at, 1234);
    EXPECT_EQ((*all)[1].session_id, "sess-1");

    auto page = feedback->list_suggestions(*first, 1);
    ASSERT_TRUE(page.is_ok());
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ(page->front().id, *second);
    EXPECT_TRUE(feedback->list_suggestions(0, 1).value().size() == 1u);
    EXPECT_TRUE(feedback->list_suggestions(*second, 10).value().empty());
}

// The social bridges' sources (issue 16) on the backends that keep them (SQLite and
// PostgreSQL; the memory fake has none).
TEST_P(store_contract, sources_are_kept_paused_and_resumed_from_their_cursor) {
    auto* sources = dynamic_cast<source_store*>(db_.get());
    if (sources == nullptr) GTEST_SKIP() << GetParam().name << " keeps no sources";
    new_bridge_source m{demo_.id, source_kind::mastodon, "https://mastodon.example", "AskJPM",
                        "secret", "admin", 1000};
    new_bridge_source b{demo_.id, source_kind::bluesky, "wss://jetstream.example/subscribe",
                        "askjpm", "", "admin", 2000};
    auto first = sources->create_source(m);
    ASSERT_TRUE(first.is_ok()) << first.error().message();
    auto second = sources->create_source(b);
    ASSERT_TRUE(second.is_ok());
    EXPECT_NE(first->id, second->id);
    EXPECT_EQ(first->event_slug, "demo");
    EXPECT_EQ(first->kind, source_kind::mastodon);
    EXPECT_EQ(first->access_token, "secret");
    EXPECT_FALSE(first->paused);
    EXPECT_EQ(first->cursor, "");

    auto other = db_->create_event({"townhall", "Town hall", false});
    ASSERT_TRUE(other.is_ok());
    ASSERT_TRUE(sources->create_source({other->id, source_kind::bluesky, "wss://j.example/subscribe",
                                        "th", "", "admin", 3000})
                    .is_ok());
    EXPECT_EQ(sources->list_sources(demo_.id)->size(), 2u);
    EXPECT_EQ(sources->list_sources(std::nullopt)->size(), 3u);
    EXPECT_EQ(sources->list_sources(demo_.id)->front().id, first->id);  // by id

    auto paused = sources->set_source_paused(second->id, true);
    ASSERT_TRUE(paused.is_ok());
    EXPECT_TRUE(paused->paused);
    ASSERT_TRUE(sources->save_source_cursor(second->id, "1733467200000000").is_ok());
    auto again = sources->get_source(second->id);
    ASSERT_TRUE(again.is_ok());
    EXPECT_TRUE(again->paused);
    EXPECT_EQ(again->cursor, "1733467200000000");
    EXPECT_EQ(again->kind, source_kind::bluesky);

    ASSERT_TRUE(sources->delete_source(first->id).is_ok());
    EXPECT_EQ(sources->get_source(first->id).error().code(), "source_not_found");
    EXPECT_EQ(sources->delete_source(first->id).code(), "source_not_found");
    EXPECT_EQ(sources->set_source_paused(first->id, false).error().code(), "source_not_found");
    // A bridge may save its cursor after its source was deleted: not an error.
    EXPECT_TRUE(sources->save_source_cursor(first->id, "9").is_ok());
    EXPECT_EQ(sources->list_sources(demo_.id)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    backends, store_contract,
    ::testing::Values(
        backend{"sqlite",
                [](const testing::temp_dir& dir, std::string*) -> std::unique_ptr<store> {
                    auto s = sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations");
                    if (!s) return nullptr;
                    return std::move(s).value();
                }},
        backend{"postgresql",
                [](const testing::temp_dir&, std::string* skip) -> std::unique_ptr<store> {
                    const std::string url = testing::fresh_postgres_database(skip);
                    if (url.empty()) return nullptr;
                    auto s = postgres_store::open(url, TRIBUNE_SOURCE_DIR "/migrations/postgresql");
                    EXPECT_TRUE(s.is_ok()) << s.error().message();
                    if (!s) return nullptr;
                    return std::move(s).value();
                }},
        backend{"memory",
                [](const testing::temp_dir&, std::string*) -> std::unique_ptr<store> {
                    return std::make_unique<memory_store>();
                }}),
    name_of);

}  // namespace
}  // namespace tribune

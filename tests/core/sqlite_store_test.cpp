#include "core/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "core/service/group_commit.hpp"
#include "core/sqlite/sqlite_question_query.hpp"
#include "core/text/prepared_text.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

decision_request decision(std::int64_t id, question_status to, std::string actor, std::string reason,
                          std::optional<std::int64_t> expected_version) {
    decision_request d;
    d.question_id = id;
    d.to = to;
    d.action = std::string(to_string(to));
    d.actor = std::move(actor);
    d.reason = std::move(reason);
    d.expected_version = expected_version;
    return d;
}

class sqlite_store_test : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = sqlite_store::open(dir_.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(s.is_ok()) << s.error().message();
        db_ = std::move(s.value());
        grouping_ = std::make_unique<group_commit>(*db_, near_duplicate_index::options{});
        auto ev = db_->find_event("demo");
        ASSERT_TRUE(ev.is_ok());
        demo_ = *ev;
    }

    // A scored question as the scoring worker hands it over: its own group, its normal form.
    question_insert make(const std::string& text, question_status st = question_status::pending) {
        question_insert in;
        question& q = in.q;
        q.event_id = demo_.id;
        q.event = demo_.slug;
        q.text = text;
        q.status = st;
        q.verdict = "test verdict";
        q.scored.lang = "en";
        q.scored.values[attribute::insult] = 0.75f;
        q.scored.spans.push_back({2, 5, attribute::insult, 0.5f, ""});
        in.search_text = prepare_text(text)->normal.text;
        return in;
    }

    // Stores a batch the way ingest does: groups chosen by the near-duplicate index first.
    result<std::vector<insert_outcome>> insert_grouped(std::vector<question_insert> rows) {
        std::vector<group_commit::item> batch;
        for (question_insert& r : rows) {
            auto fp = grouping_->fingerprint_of(r.search_text);
            batch.push_back({std::move(r), std::move(fp)});
        }
        return grouping_->run(batch);
    }

    temp_dir dir_;
    std::unique_ptr<sqlite_store> db_;
    std::unique_ptr<group_commit> grouping_;
    event_info demo_;
};

TEST(sqlite_store_open, refuses_a_migrations_directory_that_stops_short_of_the_schema_it_needs) {
    temp_dir dir;
    const auto mdir = dir.path() / "migrations";
    std::filesystem::create_directories(mdir);
    auto all = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    ASSERT_TRUE(all.is_ok());
    for (const auto& f : *all)
        if (f.number < sqlite_store::required_schema_version)
            std::filesystem::copy_file(f.path, mdir / std::filesystem::path(f.path).filename());
    auto s = sqlite_store::open(dir.file("t.db"), mdir.string());
    ASSERT_FALSE(s.is_ok());
    EXPECT_EQ(s.error().code(), "database_outdated");
    EXPECT_NE(s.error().message().find("needs " + std::to_string(sqlite_store::required_schema_version)),
              std::string::npos)
        << s.error().message();
    // With every migration it opens.
    EXPECT_TRUE(sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations").is_ok());
}

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
    question_insert a = make("first");
    a.q.source = "twitter";
    a.q.external_id = "42";
    question_insert b = make("retry with other text");
    b.q.source = "twitter";
    b.q.external_id = "42";
    question_insert c = make("other source");
    c.q.source = "cms";
    c.q.external_id = "42";
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

TEST_F(sqlite_store_test, near_duplicates_join_the_group_of_the_first_and_groups_can_be_listed) {
    auto first = insert_grouped({make("When will you lower the overdraft fees?")});
    ASSERT_TRUE(first.is_ok()) << first.error().message();
    const question& a = (*first)[0].stored;
    EXPECT_EQ(a.cluster_id, a.id);
    EXPECT_EQ(a.cluster_size, 1);

    // In one batch: a repeat of the stored one, a repeat of that repeat, and an unrelated one.
    auto r = insert_grouped({make("when will u lower overdraft fees??"),
                                make("Is the chairman paid too much?"),
                                make("WHEN WILL YOU LOWER THE OVERDRAFT FEES!!!")});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_EQ((*r)[0].stored.cluster_id, a.id);
    EXPECT_EQ((*r)[0].stored.cluster_size, 2);
    EXPECT_EQ((*r)[1].stored.cluster_id, (*r)[1].stored.id);
    EXPECT_EQ((*r)[1].stored.cluster_size, 1);
    EXPECT_EQ((*r)[2].stored.cluster_id, a.id);
    EXPECT_EQ((*r)[2].stored.cluster_size, 3);

    // Reads carry the group's current size.
    auto again = db_->get_question(a.id);
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->cluster_id, a.id);
    EXPECT_EQ(again->cluster_size, 3);

    question_query q;
    q.event_slug = "demo";
    q.filter.cluster = a.id;
    q.sort = question_sort::oldest;
    auto page = db_->list_questions(q);
    ASSERT_TRUE(page.is_ok()) << page.error().message();
    ASSERT_EQ(page->items.size(), 3u);
    EXPECT_EQ(page->items[0].id, a.id);
    EXPECT_EQ(page->items[1].id, (*r)[0].stored.id);
    EXPECT_EQ(page->items[2].id, (*r)[2].stored.id);
    for (const question& m : page->items) EXPECT_TRUE(matches(q.filter, m));
    EXPECT_FALSE(matches(q.filter, (*r)[1].stored));
}

TEST_F(sqlite_store_test, a_retry_in_a_batch_keeps_its_stored_group_size_and_is_indexed_once) {
    question_insert first = make("When will you lower the overdraft fees?");
    first.q.source = "web";
    first.q.external_id = "r1";
    auto a = insert_grouped({first});
    ASSERT_TRUE(a.is_ok()) << a.error().message();
    const std::int64_t group = (*a)[0].stored.id;

    // One batch: a new member of the group, the retry of the stored one, another member.
    auto r = insert_grouped({make("when will u lower overdraft fees??"), first,
                             make("WHEN WILL YOU LOWER THE OVERDRAFT FEES!!!")});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_TRUE((*r)[0].inserted);
    EXPECT_EQ((*r)[0].stored.cluster_size, 2);
    EXPECT_FALSE((*r)[1].inserted);
    EXPECT_EQ((*r)[1].stored.id, group);
    EXPECT_EQ((*r)[1].stored.cluster_size, 2) << "its group as the batch had made it up to the retry";
    EXPECT_TRUE((*r)[2].inserted);
    EXPECT_EQ((*r)[2].stored.cluster_id, group);
    EXPECT_EQ((*r)[2].stored.cluster_size, 3);
    EXPECT_EQ(db_->get_question(group)->cluster_size, 3);

    // The search index holds each stored question once: the retry added no row.
    question_query q;
    q.event_slug = "demo";
    q.filter.search = "overdraft";
    auto page = db_->list_questions(q);
    ASSERT_TRUE(page.is_ok()) << page.error().message();
    EXPECT_EQ(page->items.size(), 3u);
}

TEST_F(sqlite_store_test, groups_stay_within_their_event) {
    auto other = db_->create_event({"other", "Other", false});
    ASSERT_TRUE(other.is_ok());
    auto a = insert_grouped({make("When will you lower the overdraft fees?")});
    ASSERT_TRUE(a.is_ok());
    question_insert b = make("When will you lower the overdraft fees?");
    b.q.event_id = other->id;
    b.q.event = other->slug;
    auto rb = insert_grouped({b});
    ASSERT_TRUE(rb.is_ok());
    EXPECT_EQ((*rb)[0].stored.cluster_id, (*rb)[0].stored.id);
    EXPECT_EQ((*rb)[0].stored.cluster_size, 1);
}

TEST_F(sqlite_store_test, a_flood_of_one_text_stays_one_group) {
    std::vector<question_insert> batch;
    for (int i = 0; i < 300; ++i) batch.push_back(make("Fire the chairman now!!"));
    auto r = insert_grouped(batch);
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    const std::int64_t group = (*r)[0].stored.id;
    for (const insert_outcome& o : *r) EXPECT_EQ(o.stored.cluster_id, group);
    EXPECT_EQ(r->back().stored.cluster_size, 300);
}

TEST_F(sqlite_store_test, keyset_pagination_has_no_gaps_or_duplicates) {
    std::vector<question_insert> qs;
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
        if (!page->next) break;
        q.after = page->next;
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
    EXPECT_EQ(seen, (std::vector<std::string>{"q6", "q5", "q4", "q3", "q2", "q1", "q0"}));

    question_query oldest;
    oldest.event_slug = "demo";
    oldest.sort = question_sort::oldest;
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
    q.filter.statuses = {question_status::pending, question_status::held};
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
    decision_request d = decision(id, question_status::approved, "alice", "fine", 1);
    auto out = db_->apply_decision(d);
    ASSERT_TRUE(out.is_ok()) << out.error().message();
    EXPECT_TRUE(out->changed);
    EXPECT_EQ(out->from, question_status::pending);
    EXPECT_EQ(out->updated.status, question_status::approved);
    EXPECT_EQ(out->updated.version, 2);

    // A stale version is refused and changes nothing.
    decision_request stale = decision(id, question_status::rejected, "bob", "", 1);
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

    EXPECT_EQ(db_->apply_decision(decision(9999, question_status::approved, "a", "", {}))
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

TEST_F(sqlite_store_test, filters_search_and_sorts_with_exact_keyset_cursors) {
    std::vector<question_insert> qs;
    const float insults[] = {0.1f, 0.9f, 0.5f, 0.9f, 0.3f};
    const char* texts[] = {"Quand les frais baissent-ils ?", "you absolute idiot", "fees fees",
                           "another idiot", "Sh1t happens with fees"};
    for (int i = 0; i < 5; ++i) {
        question_insert q = make(texts[i]);
        q.q.scored.values[attribute::insult] = insults[i];
        q.q.scored.lang = i == 0 ? "fr" : "en";
        q.q.author = i % 2 == 0 ? std::optional<std::string>("ana") : std::nullopt;
        q.q.source = "web";
        qs.push_back(q);
    }
    ASSERT_TRUE(db_->insert_batch(qs).is_ok());
    auto texts_of = [](const question_page& p) {
        std::vector<std::string> out;
        for (const auto& q : p.items) out.push_back(q.text);
        return out;
    };

    question_query q;
    q.event_slug = "demo";
    q.filter.score_attr = attribute::insult;
    q.filter.min_score = 0.5f;
    q.filter.max_score = 0.9f;
    EXPECT_EQ(texts_of(*db_->list_questions(q)),
              (std::vector<std::string>{"another idiot", "fees fees", "you absolute idiot"}));

    question_query lang;
    lang.event_slug = "demo";
    lang.filter.lang = "fr";
    EXPECT_EQ(db_->list_questions(lang)->items.size(), 1u);

    question_query author;
    author.event_slug = "demo";
    author.filter.author = "ana";
    EXPECT_EQ(db_->list_questions(author)->items.size(), 3u);

    // Search runs over the normalised text: accents folded, l33t undone, prefixes with '*'.
    question_query search;
    search.event_slug = "demo";
    search.filter.search = "FRAIS";
    EXPECT_EQ(texts_of(*db_->list_questions(search)),
              (std::vector<std::string>{"Quand les frais baissent-ils ?"}));
    search.filter.search = "shit fees";
    EXPECT_EQ(texts_of(*db_->list_questions(search)),
              (std::vector<std::string>{"Sh1t happens with fees"}));
    search.filter.search = "idi*";
    EXPECT_EQ(db_->list_questions(search)->items.size(), 2u);
    search.filter.search = "\"unbalanced";  // quotes are not FTS syntax here
    EXPECT_TRUE(db_->list_questions(search).is_ok());

    // Severity order, paged two at a time: ties broken by newest, no gaps or repeats.
    question_query sev;
    sev.event_slug = "demo";
    sev.sort = question_sort::severity;
    sev.limit = 2;
    std::vector<std::string> seen;
    for (;;) {
        auto page = db_->list_questions(sev);
        ASSERT_TRUE(page.is_ok());
        for (auto& t : texts_of(*page)) seen.push_back(t);
        if (!page->next) break;
        sev.after = page->next;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"another idiot", "you absolute idiot", "fees fees",
                                              "Sh1t happens with fees",
                                              "Quand les frais baissent-ils ?"}));
}

TEST_F(sqlite_store_test, matches_agrees_with_the_sql_filter) {
    question q = make("Sh1t happens with fees").q;
    q.scored.values[attribute::insult] = 0.4f;
    q.scored.lang = "en";
    question_filter f;
    f.search = "shit";
    EXPECT_TRUE(matches(f, q));
    f.search = "shi*";
    EXPECT_TRUE(matches(f, q));
    f.search = "happen";  // whole words unless '*'
    EXPECT_FALSE(matches(f, q));
    f.search = "";
    f.score_attr = attribute::insult;
    f.min_score = 0.5f;
    EXPECT_FALSE(matches(f, q));
    f.min_score = 0.4f;
    EXPECT_TRUE(matches(f, q));
    f.statuses = {question_status::held};
    EXPECT_FALSE(matches(f, q));
}

// The per-event learner reads the moderators' audit rows above its watermark every few seconds:
// the read must start from those rows (index decisions_by_people), never from the event's
// questions or from every audit row above the watermark (the triage writes one per question),
// or its cost grows with the event (issue 11, goal 4). Checked on the plan SQLite chooses
// without statistics, as in a running server.
TEST_F(sqlite_store_test, the_learners_read_starts_from_peoples_audit_rows_not_the_event) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(dir_.file("t.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* st = nullptr;
    const std::string sql = "EXPLAIN QUERY PLAN " + sqlite_store::label_decisions_sql();
    ASSERT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    std::vector<std::string> steps;
    while (sqlite3_step(st) == SQLITE_ROW)
        steps.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
    sqlite3_finalize(st);
    ASSERT_FALSE(steps.empty());
    EXPECT_NE(steps.front().find("d USING INDEX decisions_by_people"), std::string::npos) << steps.front();
    for (const std::string& step : steps) {
        EXPECT_EQ(step.find("SCAN"), std::string::npos) << step;
        EXPECT_EQ(step.find("TEMP B-TREE"), std::string::npos) << step;
        EXPECT_EQ(step.find("questions_event"), std::string::npos) << step;
    }

    // And it reads what it should: people's rows only, in order, from the watermark.
    auto stored = db_->insert_batch({make("First question?"), make("Second question?")});
    ASSERT_TRUE(stored.is_ok());
    const std::int64_t a = stored->at(0).stored.id, b = stored->at(1).stored.id;
    auto reject = decision(b, question_status::rejected, "alice", "r", std::nullopt);
    reject.action = "reject";
    auto approve = decision(a, question_status::approved, "bob", "r", std::nullopt);
    approve.action = "approve";
    ASSERT_TRUE(db_->apply_decision(reject).is_ok());
    ASSERT_TRUE(db_->apply_decision(approve).is_ok());
    auto read = db_->label_decisions(demo_.id, 0, 10);
    ASSERT_TRUE(read.is_ok());
    ASSERT_EQ(read->size(), 2u);
    EXPECT_EQ((*read)[0].question_id, b);
    EXPECT_EQ((*read)[1].question_id, a);
    auto after = db_->label_decisions(demo_.id, (*read)[0].decision_id, 10);
    ASSERT_TRUE(after.is_ok());
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ((*after)[0].action, "approve");
}

// The full-text index merges its segments 16 at a time (migration 0018), not 4: its cost per
// commit stays flat as the event grows (docs/benchmarks.md, bench/insert_at_size).
TEST_F(sqlite_store_test, the_full_text_index_merges_sixteen_segments_at_a_time) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(dir_.file("t.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT v FROM questions_fts_config WHERE k = 'automerge'", -1, &st, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 16);
    sqlite3_finalize(st);
}

// The plan SQLite chooses for `sql` (EXPLAIN QUERY PLAN's details, one per line).
std::string query_plan(const std::string& path, const std::string& sql) {
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return "cannot open";
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) != SQLITE_OK)
        return std::string("cannot prepare: ") + sqlite3_errmsg(raw);
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW) plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("\n");
    sqlite3_finalize(st);
    return plan;
}

// The Review tab's order (pending and held by impact) walks the groups' impact index
// (migration 0019) instead of sorting every question in review: its first page costs the
// same on an event of any size. Other impact views keep the sort.
TEST_F(sqlite_store_test, the_review_queue_by_impact_walks_the_groups_index_without_a_sort) {
    ASSERT_TRUE(db_->insert_batch({make("When do fees fall?")}).is_ok());
    question_query q;
    q.event_slug = "demo";
    q.sort = question_sort::impact;
    q.filter.statuses = {question_status::pending, question_status::held};
    const std::string plan = query_plan(dir_.file("t.db"), sqlite_rows::page_sql(q, {}));
    EXPECT_NE(plan.find("question_clusters_impact"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    q.after = page_cursor{2, 10, 5, 7};  // a later page too
    const std::string later = query_plan(dir_.file("t.db"), sqlite_rows::page_sql(q, {}));
    EXPECT_EQ(later.find("TEMP B-TREE"), std::string::npos) << later;

    q.filter.statuses = {question_status::pending, question_status::approved};
    q.after.reset();
    EXPECT_EQ(query_plan(dir_.file("t.db"), sqlite_rows::page_sql(q, {})).find("question_clusters_impact"),
              std::string::npos);
}

// How many rows the full-text index holds, read on a connection of its own.
int indexed_rows(const std::string& path) {
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return -1;
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw, "SELECT count(*) FROM questions_fts_docsize", -1, &st, nullptr) != SQLITE_OK)
        return -2;
    const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -3;
    sqlite3_finalize(st);
    return n;
}

question_query search_for(const std::string& words) {
    question_query q;
    q.event_slug = "demo";
    q.filter.search = words;
    q.limit = 100;
    return q;
}

// The group commit leaves a batch's full-text rows pending (FTS5 writes a segment per COMMIT
// that touches it); a search writes them first, so it still finds every committed question.
TEST_F(sqlite_store_test, full_text_rows_wait_for_a_search_which_still_finds_every_question) {
    ASSERT_TRUE(db_->insert_batch({make("When do fees fall?"), make("Why are fees so high?")}).is_ok());
    ASSERT_TRUE(db_->insert_batch({make("Any news on the fees?")}).is_ok());
    EXPECT_EQ(indexed_rows(dir_.file("t.db")), 0);
    auto page = db_->list_questions(search_for("fees"));
    ASSERT_TRUE(page.is_ok()) << page.error().message();
    EXPECT_EQ(page->items.size(), 3u);
    EXPECT_EQ(indexed_rows(dir_.file("t.db")), 3);
}

// Once enough are pending (512), they are written with the group commit that reaches that.
TEST_F(sqlite_store_test, pending_full_text_rows_are_written_with_the_commit_that_reaches_512) {
    for (int b = 0; b < 51; ++b) {
        std::vector<question_insert> batch;
        for (int i = 0; i < 10; ++i) batch.push_back(make("Question number " + std::to_string(b * 10 + i) + "?"));
        ASSERT_TRUE(db_->insert_batch(batch).is_ok());
    }
    EXPECT_EQ(indexed_rows(dir_.file("t.db")), 0);  // 510 pending
    ASSERT_TRUE(db_->insert_batch({make("Question 510?"), make("Question 511?")}).is_ok());
    EXPECT_EQ(indexed_rows(dir_.file("t.db")), 512);
}

// A crash with rows pending: the files as they are (copied while the store is open) open as
// a store whose search finds every committed question, and they are indexed once.
TEST_F(sqlite_store_test, a_crash_with_full_text_rows_pending_loses_no_search) {
    ASSERT_TRUE(db_->insert_batch({make("First about the dividend?")}).is_ok());
    ASSERT_TRUE(db_->list_questions(search_for("dividend")).is_ok());  // indexed: one row
    ASSERT_TRUE(db_->insert_batch({make("Second about the dividend?"), make("Third, dividend?")}).is_ok());
    namespace fs = std::filesystem;
    fs::copy_file(dir_.file("t.db"), dir_.file("crash.db"));
    fs::copy_file(dir_.file("t.db") + "-wal", dir_.file("crash.db-wal"));
    EXPECT_EQ(indexed_rows(dir_.file("crash.db")), 1);
    {
        auto reopened = sqlite_store::open(dir_.file("crash.db"), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(reopened.is_ok()) << reopened.error().message();
        auto page = (*reopened)->list_questions(search_for("dividend"));
        ASSERT_TRUE(page.is_ok());
        EXPECT_EQ(page->items.size(), 3u);
    }
    EXPECT_EQ(indexed_rows(dir_.file("crash.db")), 3);
}

// Closing the store writes what is pending.
TEST_F(sqlite_store_test, closing_the_store_writes_the_pending_full_text_rows) {
    ASSERT_TRUE(db_->insert_batch({make("Pending at close?"), make("Also pending?")}).is_ok());
    grouping_.reset();
    db_.reset();
    EXPECT_EQ(indexed_rows(dir_.file("t.db")), 2);
}

}  // namespace
}  // namespace tribune

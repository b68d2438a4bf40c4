// Core pieces of the Perspective drop-in and webhooks: HMAC-SHA256, sentences and UTF-16
// offsets, analysis_service's rules, webhook_service's schedule, and migration 0007.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/analysis_service.hpp"
#include "core/service/webhook_service.hpp"
#include "core/sqlite/migrator.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/memory_store.hpp"
#include "core/text/sentence_splitter.hpp"
#include "core/text/utf8.hpp"
#include "core/util/hmac_sha256.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

// RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
TEST(hmac_sha256, matches_rfc_4231) {
    EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'),
                              "Test Using Larger Than Block-Size Key - Hash Key First"),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

std::vector<std::string> sentences(std::string_view text) {
    std::vector<std::string> out;
    for (const byte_range& r : split_sentences(text)) out.emplace_back(text.substr(r.begin, r.end - r.begin));
    return out;
}

TEST(sentence_splitter, cuts_after_final_marks_and_at_line_breaks) {
    EXPECT_EQ(sentences("What kind of idiot name is foo? Sorry, I like your name."),
              (std::vector<std::string>{"What kind of idiot name is foo?", "Sorry, I like your name."}));
    EXPECT_EQ(sentences("Really?! Yes... ok"), (std::vector<std::string>{"Really?!", "Yes...", "ok"}));
    EXPECT_EQ(sentences("first line  \nsecond line\n\n"), (std::vector<std::string>{"first line", "second line"}));
    EXPECT_EQ(sentences("version 1.2 is out"), (std::vector<std::string>{"version 1.2 is out"}));
    EXPECT_EQ(sentences("Attends\xE2\x80\xA6 quoi"), (std::vector<std::string>{"Attends\xE2\x80\xA6", "quoi"}));
    EXPECT_TRUE(sentences("  \n ").empty());
}

TEST(sentence_splitter, counts_utf16_code_units) {
    EXPECT_EQ(utf16_length("Hi"), 2u);
    EXPECT_EQ(utf16_length("caf\xC3\xA9"), 4u);       // é: one unit
    EXPECT_EQ(utf16_length("\xE2\x82\xAC"), 1u);      // €: one unit
    EXPECT_EQ(utf16_length("\xF0\x9F\x98\x80!"), 3u);  // 😀: a surrogate pair
}

analysis_request request(std::string text, std::vector<std::string> attrs) {
    analysis_request r;
    r.text = std::move(text);
    for (auto& a : attrs) r.attributes.push_back({a, std::nullopt, ""});
    return r;
}

TEST(analysis_service, scores_requested_attributes_in_order_with_thresholds) {
    placeholder_classifier model;
    memory_store feedback;
    analysis_service svc(model, feedback, {});
    auto r = svc.analyze(request("you idiot", {"INSULT", "THREAT", "TOXICITY"}));
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    ASSERT_EQ(r->scores.size(), 3u);
    EXPECT_EQ(r->scores[0].name, "INSULT");
    EXPECT_FLOAT_EQ(r->scores[0].summary, 0.8f);
    EXPECT_FLOAT_EQ(r->scores[1].summary, 0.0f);
    EXPECT_TRUE(r->detected_languages.empty()) << "the placeholder cannot tell";
    EXPECT_TRUE(r->languages.empty());

    auto req = request("you idiot", {"INSULT", "THREAT"});
    req.attributes[0].score_threshold = 0.8f;  // equal: kept
    req.attributes[1].score_threshold = 0.01f;
    auto t = svc.analyze(req);
    ASSERT_TRUE(t.is_ok());
    ASSERT_EQ(t->scores.size(), 1u);
    EXPECT_EQ(t->scores[0].name, "INSULT");
    EXPECT_TRUE(feedback.list_suggestions(0, 100)->empty()) << "analyze stores nothing";
}

TEST(analysis_service, refuses_what_it_cannot_answer_with_its_codes) {
    placeholder_classifier model;
    memory_store feedback;
    analysis_options opts;
    opts.max_text_bytes = 10;
    analysis_service svc(model, feedback, opts);
    auto code = [&](const analysis_request& r) {
        auto out = svc.analyze(r);
        return out ? std::string("ok") : out.error().code();
    };
    EXPECT_EQ(code(request("", {"TOXICITY"})), "text_required");
    EXPECT_EQ(code(request("\xE2\x80\x8B ", {"TOXICITY"})), "text_required") << "a zero-width space is blank";
    EXPECT_EQ(code(request("12345678901", {"TOXICITY"})), "text_too_long");
    EXPECT_EQ(code(request("\xFF", {"TOXICITY"})), "invalid_utf8");
    EXPECT_EQ(code(request("hi", {})), "attributes_required");
    EXPECT_EQ(code(request("hi", {"TOXICITYY"})), "unknown_attribute");
    EXPECT_EQ(code(request("hi", {"FLIRTATION"})), "attribute_not_offered");
    auto dropped = request("hi", {"FLIRTATION", "TOXICITY"});
    dropped.drop_unsupported = true;
    EXPECT_EQ(code(dropped), "ok");
    auto lang = request("hi", {"TOXICITY"});
    lang.languages = {"en", "es"};
    EXPECT_EQ(code(lang), "language_not_supported");
    lang.languages = {"FR-ca", "en_GB"};
    EXPECT_EQ(code(lang), "ok");
    auto type = request("hi", {"TOXICITY"});
    type.attributes[0].score_type = "RAW";
    EXPECT_EQ(code(type), "invalid_score_type");
}

TEST(analysis_service, suggestions_are_validated_then_stored) {
    placeholder_classifier model;
    memory_store feedback;
    analysis_service svc(model, feedback, {});
    suggestion s;
    s.text = "\xF0\x9F\x98\x80 you idiot";  // 12 UTF-16 code units
    s.submitted_by = "coral";
    s.scores = {{"TOXICITY", std::nullopt, std::nullopt, 1.0f}, {"INSULT", 3, 12, 0.9f}};
    ASSERT_TRUE(svc.suggest(s).is_ok());
    ASSERT_EQ(feedback.list_suggestions(0, 100)->size(), 1u);
    EXPECT_GT((*feedback.list_suggestions(0, 100))[0].created_at, 0);
    s.scores = {{"INSULT", 3, 13, 0.9f}};
    EXPECT_EQ(svc.suggest(s).error().code(), "invalid_field") << "end past the text";
    s.scores = {{"INSULT", std::nullopt, std::nullopt, 1.5f}};
    EXPECT_EQ(svc.suggest(s).error().code(), "invalid_field");
    s.scores = {};
    EXPECT_EQ(svc.suggest(s).error().code(), "attributes_required");
    EXPECT_EQ(feedback.list_suggestions(0, 100)->size(), 1u);
}

class webhook_core : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations", 2);
        ASSERT_TRUE(db.is_ok()) << db.error().message();
        db_ = std::move(db.value());
        hooks_ = db_.get();
    }
    temp_dir dir;
    std::unique_ptr<sqlite_store> db_;
    webhook_store* hooks_ = nullptr;
};

TEST_F(webhook_core, backoff_doubles_up_to_the_cap_and_disables_after_the_limit) {
    webhook_options o;
    o.base_backoff = std::chrono::milliseconds(1000);
    o.max_backoff = std::chrono::milliseconds(5000);
    o.disable_after = 4;
    webhook_service svc(*db_, *hooks_, o);
    EXPECT_EQ(svc.retry_delay(1).count(), 1000);
    EXPECT_EQ(svc.retry_delay(2).count(), 2000);
    EXPECT_EQ(svc.retry_delay(3).count(), 4000);
    EXPECT_EQ(svc.retry_delay(4).count(), 5000);
    EXPECT_EQ(svc.retry_delay(40).count(), 5000);

    pending_delivery d;
    d.hook_failures = 2;
    d.attempts = 2;
    delivery_outcome fail{503, "", 10, 1'000'000};
    attempt_record r = svc.judge(d, fail);
    EXPECT_FALSE(r.delivered);
    EXPECT_EQ(r.hook_failures, 3);
    EXPECT_EQ(r.log.attempt, 3);
    EXPECT_EQ(r.log.retry_in_ms, 4000);
    EXPECT_EQ(r.hook_next_attempt_at, 1'000'000 + 10 + 4000);
    EXPECT_FALSE(r.disable_reason);
    d.hook_failures = 3;
    EXPECT_TRUE(svc.judge(d, fail).disable_reason.has_value());
    EXPECT_EQ(svc.judge(d, fail).log.outcome, "hook_disabled");
    attempt_record ok = svc.judge(d, delivery_outcome{204, "", 5, 1});
    EXPECT_TRUE(ok.delivered);
    EXPECT_EQ(ok.hook_failures, 0);
    EXPECT_FALSE(svc.judge(d, delivery_outcome{std::nullopt, "connect: refused", 5, 1}).delivered);
    EXPECT_FALSE(svc.judge(d, delivery_outcome{302, "", 5, 1}).delivered) << "a redirect is not delivered";
    EXPECT_EQ(webhook_service::signature("key", "1700000000", "{}"),
              "v1=" + hmac_sha256_hex("key", "1700000000.{}"));
}

TEST_F(webhook_core, the_outbox_is_filled_in_the_commit_that_changes_a_question) {
    webhook_service svc(*db_, *hooks_, {});
    auto hook = svc.create({"demo", "http://127.0.0.1:9/h", {"question.created", "question.answered"}, "root"});
    ASSERT_TRUE(hook.is_ok()) << hook.error().message();
    auto ev = db_->find_event("demo");
    ASSERT_TRUE(ev.is_ok());
    question_insert in;
    in.q.event_id = ev->id;
    in.q.text = "Is the outbox filled?";
    in.q.status = question_status::approved;
    auto stored = db_->insert_batch({in});
    ASSERT_TRUE(stored.is_ok()) << stored.error().message();
    decision_request reject;
    reject.question_id = (*stored)[0].stored.id;
    reject.to = question_status::rejected;
    reject.action = "reject";
    reject.actor = "mod";
    ASSERT_TRUE(db_->apply_decision(reject).is_ok());  // not subscribed: nothing owed

    auto due = hooks_->due_deliveries(std::numeric_limits<std::int64_t>::max(), {}, 10);
    ASSERT_TRUE(due.is_ok()) << due.error().message();
    ASSERT_EQ(due->size(), 1u) << "one hook, its oldest delivery";
    EXPECT_EQ((*due)[0].type, "question.created");
    EXPECT_EQ((*due)[0].cause.action, "auto");
    EXPECT_EQ((*due)[0].delivery_id.size(), 32u);
    auto backlog = hooks_->backlog();
    ASSERT_TRUE(backlog.is_ok());
    EXPECT_EQ(backlog->at(hook->id), 1);
    EXPECT_TRUE(hooks_->due_deliveries(std::numeric_limits<std::int64_t>::max(), {hook->id}, 10)->empty())
        << "a busy hook is skipped";
    ASSERT_TRUE(svc.record({svc.judge((*due)[0], {200, "", 3, 1})}).is_ok());
    EXPECT_TRUE(hooks_->backlog()->empty()) << "a delivered row leaves the outbox";
    auto log = hooks_->list_attempts(hook->id, 0, 10);
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ((*log)[0].outcome, "delivered");
}

// Every writer of the audit trail owes its deliveries: the group commit, decisions, bulk
// decisions and undo; only to the question's event's enabled, subscribed hooks; and the store
// knows which events have hooks across a restart.
TEST_F(webhook_core, every_change_is_owed_to_the_events_enabled_hooks_only) {
    webhook_service svc(*db_, *hooks_, {});
    ASSERT_TRUE(db_->create_event({"other", "Other", false}).is_ok());
    const std::int64_t demo = db_->find_event("demo")->id;
    const std::int64_t other = db_->find_event("other")->id;
    auto insert = [&](std::int64_t event, const std::string& text) {
        question_insert in;
        in.q.event_id = event;
        in.q.text = text;
        in.q.status = question_status::pending;
        auto r = db_->insert_batch({in});
        EXPECT_TRUE(r.is_ok());
        return r ? (*r)[0].stored.id : 0;
    };
    auto owed = [&](std::int64_t hook) {
        auto b = hooks_->backlog();
        EXPECT_TRUE(b.is_ok());
        return b && b->count(hook) ? b->at(hook) : 0;
    };
    const std::int64_t before = insert(demo, "before any hook");
    auto hook = svc.create({"other", "http://127.0.0.1:9/h", {}, "root"});  // every type
    ASSERT_TRUE(hook.is_ok()) << hook.error().message();
    insert(demo, "a question of demo, which has no hook");
    EXPECT_EQ(owed(hook->id), 0);
    const std::int64_t q = insert(other, "a question of other");
    EXPECT_EQ(owed(hook->id), 1) << "created";

    decision_request approve;
    approve.question_id = q;
    approve.to = question_status::approved;
    approve.action = "approve";
    approve.actor = "mod";
    ASSERT_TRUE(db_->apply_decision(approve).is_ok());
    EXPECT_EQ(owed(hook->id), 2) << "verdict changed";
    ASSERT_TRUE(db_->apply_decision(approve).is_ok());
    EXPECT_EQ(owed(hook->id), 2) << "no change of status, nothing owed";
    ASSERT_TRUE(db_->undo_last({q, "mod", 60'000}).is_ok());
    EXPECT_EQ(owed(hook->id), 3) << "an undo changes the verdict back";
    decision_request answer = approve;
    answer.to = question_status::answered;
    answer.action = "answer";
    decision_request elsewhere = approve;
    elsewhere.question_id = before;
    ASSERT_TRUE(db_->apply_decisions({answer, elsewhere}).is_ok());
    EXPECT_EQ(owed(hook->id), 4) << "answered; the demo question owes nothing";

    webhook_update off;
    off.enabled = false;
    ASSERT_TRUE(hooks_->update_webhook(hook->id, off).is_ok());
    insert(other, "while the hook is disabled");
    EXPECT_EQ(owed(hook->id), 4) << "a disabled hook is owed nothing new";
    webhook_update on;
    on.enabled = true;
    ASSERT_TRUE(hooks_->update_webhook(hook->id, on).is_ok());

    // A fresh store on the same file knows the hook from the start.
    db_.reset();
    auto reopened = sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations", 2);
    ASSERT_TRUE(reopened.is_ok());
    db_ = std::move(reopened.value());
    hooks_ = db_.get();
    insert(other, "after a restart");
    EXPECT_EQ(owed(hook->id), 5);
    ASSERT_TRUE(hooks_->delete_webhook(hook->id).is_ok());
    insert(other, "after the hook was deleted");
    EXPECT_TRUE(hooks_->backlog()->empty());
}

// A database made at schema 6 (main before the Perspective drop-in) keeps its tokens and
// sessions through 0007, which rebuilds both tables.
TEST(migration_0007, keeps_tokens_and_sessions_and_accepts_the_analyst_role) {
    temp_dir dir;
    auto files = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    ASSERT_TRUE(files.is_ok());
    ASSERT_GE(files->size(), 7u);
    ASSERT_EQ((*files)[5].number, 6);
    std::vector<migration_file> up_to_6(files->begin(), files->begin() + 6);
    {
        auto db = sqlite_connection::open(dir.file("t.db"), false);
        ASSERT_TRUE(db.is_ok());
        ASSERT_TRUE(migrator::apply(*db, up_to_6).is_ok());
        ASSERT_TRUE(db->exec("INSERT INTO tokens (name, role, hash, prefix, created_at) "
                             "VALUES ('old', 'moderator', 'h1', 'trb_x', 1);"
                             "INSERT INTO sessions VALUES ('s1', 1, 1, 9999999999999);")
                        .is_ok());
    }
    auto store = sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations", 1);
    ASSERT_TRUE(store.is_ok()) << store.error().message();
    EXPECT_EQ((*store)->schema_version(), files->back().number);
    auto session = (*store)->find_session("s1", 1);
    ASSERT_TRUE(session.is_ok() && session->has_value()) << "the session survived the rebuild";
    EXPECT_EQ((**session).name, "old");
    auto old = (*store)->find_token("h1");
    ASSERT_TRUE(old.is_ok() && old->has_value());
    EXPECT_FALSE((**old).quota.has_value()) << "an old token has no quota";
    auto t = (*store)->create_token("analyst-1", role::analyst, std::nullopt, "h2", "trb_y",
                                    token_quota{60, 60});
    ASSERT_TRUE(t.is_ok()) << t.error().message();
    auto found = (*store)->find_token("h2");
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((**found).r, role::analyst);
    ASSERT_TRUE((**found).quota.has_value());
    EXPECT_EQ((**found).quota->requests, 60);
    EXPECT_EQ((**found).quota->period_s, 60);
}

}  // namespace
}  // namespace tribune

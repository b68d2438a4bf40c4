// Core pieces of the Perspective drop-in and webhooks: HMAC-SHA256, sentences and UTF-16
// offsets, analysis_service's rules, webhook_service's schedule, and migration 0007.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/analysis_service.hpp"
#include "core/service/webhook_service.hpp"
#include "core/sqlite/migrator.hpp"
#include "core/sqlite/sqlite_feedback_store.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/sqlite/sqlite_webhook_store.hpp"
#include "core/text/sentence_splitter.hpp"
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

class memory_feedback final : public feedback_store {
public:
    result<std::int64_t> add_suggestion(const suggestion& s) override {
        stored.push_back(s);
        return static_cast<std::int64_t>(stored.size());
    }
    result<std::vector<suggestion>> list_suggestions(std::int64_t, std::size_t) override { return stored; }
    std::vector<suggestion> stored;
};

analysis_request request(std::string text, std::vector<std::string> attrs) {
    analysis_request r;
    r.text = std::move(text);
    for (auto& a : attrs) r.attributes.push_back({a, std::nullopt, ""});
    return r;
}

TEST(analysis_service, scores_requested_attributes_in_order_with_thresholds) {
    placeholder_classifier model;
    memory_feedback feedback;
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
    EXPECT_TRUE(feedback.stored.empty()) << "analyze stores nothing";
}

TEST(analysis_service, refuses_what_it_cannot_answer_with_its_codes) {
    placeholder_classifier model;
    memory_feedback feedback;
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
    memory_feedback feedback;
    analysis_service svc(model, feedback, {});
    suggestion s;
    s.text = "\xF0\x9F\x98\x80 you idiot";  // 12 UTF-16 code units
    s.submitted_by = "coral";
    s.scores = {{"TOXICITY", std::nullopt, std::nullopt, 1.0f}, {"INSULT", 3, 12, 0.9f}};
    ASSERT_TRUE(svc.suggest(s).is_ok());
    ASSERT_EQ(feedback.stored.size(), 1u);
    EXPECT_GT(feedback.stored[0].created_at, 0);
    s.scores = {{"INSULT", 3, 13, 0.9f}};
    EXPECT_EQ(svc.suggest(s).error().code(), "invalid_field") << "end past the text";
    s.scores = {{"INSULT", std::nullopt, std::nullopt, 1.5f}};
    EXPECT_EQ(svc.suggest(s).error().code(), "invalid_field");
    s.scores = {};
    EXPECT_EQ(svc.suggest(s).error().code(), "attributes_required");
    EXPECT_EQ(feedback.stored.size(), 1u);
}

class webhook_core : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = sqlite_store::open(dir.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations", 2);
        ASSERT_TRUE(db.is_ok()) << db.error().message();
        db_ = std::move(db.value());
        hooks_ = std::make_unique<sqlite_webhook_store>(*db_);
    }
    temp_dir dir;
    std::unique_ptr<sqlite_store> db_;
    std::unique_ptr<sqlite_webhook_store> hooks_;
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
    question q;
    q.event_id = ev->id;
    q.text = "Is the outbox filled?";
    q.status = question_status::approved;
    auto stored = db_->insert_batch({q});
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

TEST(migration_0007, keeps_tokens_and_sessions_and_accepts_the_analyst_role) {
    temp_dir dir;
    auto files = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    ASSERT_TRUE(files.is_ok());
    std::vector<migration_file> up_to_5(files->begin(), files->begin() + 5);
    {
        auto db = sqlite_connection::open(dir.file("t.db"), false);
        ASSERT_TRUE(db.is_ok());
        ASSERT_TRUE(migrator::apply(*db, up_to_5).is_ok());
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
    sqlite_feedback_store quotas(**store);
    auto t = (*store)->create_token("analyst-1", role::analyst, std::nullopt, "h2", "trb_y");
    ASSERT_TRUE(t.is_ok()) << t.error().message();
    ASSERT_TRUE(quotas.set_token_quota(t->id, token_quota{60, 60}).is_ok());
    auto found = (*store)->find_token("h2");
    ASSERT_TRUE(found.is_ok() && found->has_value());
    ASSERT_TRUE((**found).quota.has_value());
    EXPECT_EQ((**found).quota->requests, 60);
    EXPECT_EQ((**found).quota->period_s, 60);
    EXPECT_EQ(quotas.set_token_quota(999, std::nullopt).code(), "token_not_found");
}

}  // namespace
}  // namespace tribune

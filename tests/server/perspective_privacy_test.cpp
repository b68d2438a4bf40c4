// doNotStore and the key leave no trace; suggestscore stores Coral Talk's feedback as a
// labelled example an admin exports.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/server/perspective_support.hpp"

namespace tribune::test {
namespace {

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Everything of the database on disk: the file, its WAL and shared memory.
std::string database_bytes(const std::string& db) {
    return file_bytes(db) + file_bytes(db + "-wal") + file_bytes(db + "-shm");
}

// Sends the process's stderr (where the server logs) to a file while it lives.
class stderr_capture {
public:
    explicit stderr_capture(const std::filesystem::path& file) : file_(file) {
        std::fflush(stderr);
        saved_ = ::dup(2);
        std::FILE* f = std::fopen(file.c_str(), "w");
        ::dup2(::fileno(f), 2);
        std::fclose(f);
    }
    ~stderr_capture() { release(); }
    std::string release() {
        if (saved_ >= 0) {
            std::fflush(stderr);
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
        return file_bytes(file_);
    }

private:
    std::filesystem::path file_;
    int saved_ = -1;
};

TEST_F(perspective_test, do_not_store_text_and_the_key_appear_in_neither_database_nor_log) {
    stop();
    stderr_capture capture(temp_dir() / "stderr.log");
    auto cfg = default_config();
    cfg.quiet = false;  // the request log is on
    ASSERT_NO_FATAL_FAILURE(start_with_model(cfg));
    const std::string key = analyst_key();
    const std::string secret_text = "zqxv-private-comment-4711 about my neighbour";
    auto r = perspective("analyze", coral_analyze(secret_text, true), key);
    ASSERT_EQ(r.status, 200u) << r;
    // Failing requests carry the text too, and must not leak it either.
    json bad = coral_analyze(secret_text, true);
    bad["languages"] = {"xx"};
    EXPECT_EQ(perspective("analyze", bad, key).status, 400u);
    EXPECT_EQ(call_anonymous(http::verb::post, "/v1alpha1/comments:analyze?key=" + key,
                             "{\"comment\": {\"text\": \"" + secret_text + "\"")
                  .status,
              400u);
    // Positive control: a suggestion is stored, so the scan below can see stored text.
    const std::string stored_text = "zqxv-stored-suggestion-0815";
    auto s = perspective("suggestscore",
                         {{"comment", {{"text", stored_text}}},
                          {"attributeScores", {{"TOXICITY", {{"summaryScore", {{"value", 0}}}}}}}},
                         key);
    ASSERT_EQ(s.status, 200u) << s;
    stop();
    const std::string log = capture.release();

    const std::string db = database_bytes(current_config().db_path);
    EXPECT_NE(db.find(stored_text), std::string::npos) << "the scan sees stored text";
    EXPECT_EQ(db.find("zqxv-private-comment-4711"), std::string::npos) << "doNotStore text in the database";
    EXPECT_EQ(db.find(key), std::string::npos) << "the key itself is never stored, only its hash";

    EXPECT_NE(log.find("POST /v1alpha1/comments:analyze 200"), std::string::npos)
        << "the request log is captured: " << log;
    EXPECT_EQ(log.find("zqxv-private"), std::string::npos) << log;
    EXPECT_EQ(log.find(key), std::string::npos) << log;
    EXPECT_EQ(log.find(key.substr(4, 12)), std::string::npos) << "not even part of the key: " << log;
}

TEST_F(perspective_test, coral_talk_feedback_is_stored_and_exported_by_an_admin) {
    // Coral Talk's suggestscore body when a moderator rejects a comment.
    const json context_text = {{"url", "https://news.example/story?commentID=c-9"},
                               {"reply_to_id_Coral_comment_id", nullptr},
                               {"Coral_comment_id", "c-9"}};
    json body = {{"comment", {{"text", "You people are vermin"}}},
                 {"context", {{"entries", {{{"text", context_text.dump()}}}}}},
                 {"attributeScores", {{"TOXICITY", {{"summaryScore", {{"value", 1}}}}}}},
                 {"languages", {"en"}},
                 {"communityId", "Coral:https://news.example/"},
                 {"clientToken", "comment:c-9"}};
    auto r = perspective("suggestscore", body, analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body, (json{{"clientToken", "comment:c-9"}})) << r;

    json spans = {{"comment", {{"text", "Fine. You idiot."}}},
                  {"attributeScores",
                   {{"INSULT", {{"spanScores", {{{"begin", 6}, {"end", 16}, {"score", {{"value", 0.9}}}}}}}}}},
                  {"sessionId", "sess-1"}};
    ASSERT_EQ(perspective("suggestscore", spans, analyst_key()).status, 200u);

    auto out = get("/api/v1/perspective/suggestions");
    ASSERT_EQ(out.status, 200u) << out;
    ASSERT_EQ(out.body["items"].size(), 2u) << out;
    const json& first = out.body["items"][0];
    EXPECT_EQ(first["comment"]["text"], "You people are vermin");
    EXPECT_EQ(first["attributeScores"]["TOXICITY"]["summaryScore"]["value"], 1.0);
    EXPECT_EQ(first["communityId"], "Coral:https://news.example/");
    EXPECT_EQ(first["clientToken"], "comment:c-9");
    EXPECT_EQ(first["languages"], json::array({"en"}));
    EXPECT_EQ(first["context"]["entries"][0]["text"], context_text.dump());
    EXPECT_EQ(first["submittedBy"], "coral");
    EXPECT_TRUE(is_iso_ms_utc(first["createdAt"])) << first;
    const json& second = out.body["items"][1];
    EXPECT_EQ(second["attributeScores"]["INSULT"]["spanScores"][0]["begin"], 6);
    EXPECT_EQ(second["attributeScores"]["INSULT"]["spanScores"][0]["end"], 16);
    EXPECT_EQ(second["sessionId"], "sess-1");

    auto page = get("/api/v1/perspective/suggestions?limit=1");
    ASSERT_EQ(page.body["items"].size(), 1u) << page;
    auto next = get("/api/v1/perspective/suggestions?after=" + page.body["next_after"].dump());
    ASSERT_EQ(next.body["items"].size(), 1u) << next;
    EXPECT_EQ(next.body["items"][0]["sessionId"], "sess-1");
    expect_error(call(http::verb::get, "/api/v1/perspective/suggestions", "",
                      bearer(token_for("moderator", "m"))),
                 403, "forbidden");
}

TEST_F(perspective_test, malformed_suggestions_are_refused) {
    const std::string key = analyst_key();
    auto refused = [&](json body, std::string_view part) {
        expect_google_error(perspective("suggestscore", body, key), 400, "INVALID_ARGUMENT", part);
    };
    json ok = {{"comment", {{"text", "Fine. You idiot."}}},
               {"attributeScores", {{"INSULT", {{"summaryScore", {{"value", 0.5}}}}}}}};
    json empty_scores = ok;
    empty_scores["attributeScores"] = json::object();
    refused(empty_scores, "");
    json empty_attribute = ok;
    empty_attribute["attributeScores"]["INSULT"] = json::object();
    refused(empty_attribute, "INSULT");
    json no_value = ok;
    no_value["attributeScores"]["INSULT"]["summaryScore"] = {{"type", "PROBABILITY"}};
    refused(no_value, "value");
    json out_of_range = ok;
    out_of_range["attributeScores"]["INSULT"]["summaryScore"]["value"] = 1.5;
    refused(out_of_range, "between 0 and 1");
    json span_past_end = ok;
    span_past_end["attributeScores"]["INSULT"] = {
        {"spanScores", {{{"begin", 6}, {"end", 17}, {"score", {{"value", 1}}}}}}};
    refused(span_past_end, "16");
    json unknown = ok;
    unknown["attributeScores"] = {{"FLIRTATION", {{"summaryScore", {{"value", 1}}}}}};
    refused(unknown, "FLIRTATION");
    json no_text = ok;
    no_text["comment"]["text"] = "";
    refused(no_text, "");
    EXPECT_EQ(get("/api/v1/perspective/suggestions").body["items"].size(), 0u) << "nothing was stored";
}

}  // namespace
}  // namespace tribune::test

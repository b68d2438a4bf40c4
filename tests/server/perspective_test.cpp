// The Perspective-compatible API (docs/perspective.md): requests written from Perspective's
// public documentation and Coral Talk's client, answered in Perspective's shape.

#include <string>

#include "tests/server/perspective_support.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

float summary(const http_response& r, const std::string& attr) {
    return r.body["attributeScores"][attr]["summaryScore"]["value"].get<float>();
}

TEST_F(perspective_test, coral_talk_analyze_request_is_answered_in_perspective_shape) {
    auto r = perspective("analyze", coral_analyze("You are a complete idiot and everyone knows it"),
                         analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_TRUE(r.body["attributeScores"].is_object()) << r;
    EXPECT_EQ(r.body["attributeScores"].size(), 1u) << "only what was requested: " << r;
    const json& s = r.body["attributeScores"]["TOXICITY"]["summaryScore"];
    EXPECT_EQ(s["type"], "PROBABILITY") << r;
    const float v = s["value"].get<float>();
    EXPECT_GT(v, 0.5f) << "an insult scores as toxic: " << r;
    EXPECT_LE(v, 1.0f) << r;
    EXPECT_FALSE(r.body["attributeScores"]["TOXICITY"].contains("spanScores")) << r;
    EXPECT_EQ(r.body["languages"], json::array({"en"})) << "mirrors the request: " << r;
    EXPECT_EQ(r.body["detectedLanguages"], json::array({"en"})) << r;
    EXPECT_FALSE(r.body.contains("clientToken")) << r;
    EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u) << r;

    // The same text scores the same: versioned, reproducible scores.
    auto again = perspective("analyze", coral_analyze("You are a complete idiot and everyone knows it"),
                             analyst_key());
    EXPECT_EQ(again.body["attributeScores"], r.body["attributeScores"]);
}

TEST_F(perspective_test, every_offered_attribute_is_scored_and_client_token_echoed) {
    json body = {{"comment", {{"text", "I will find you and hurt you, you worthless scum"}, {"type", "PLAIN_TEXT"}}},
                 {"requestedAttributes",
                  {{"TOXICITY", json::object()}, {"SEVERE_TOXICITY", json::object()},
                   {"IDENTITY_ATTACK", json::object()}, {"INSULT", json::object()},
                   {"PROFANITY", {{"scoreType", "PROBABILITY"}}}, {"THREAT", json::object()},
                   {"INSULT_EXPERIMENTAL", json::object()}}},
                 {"clientToken", "req-42"},
                 {"sessionId", "s-1"},
                 {"communityId", "forum"},
                 {"context", {{"entries", {{{"text", "an earlier comment"}}}}}}};
    auto r = perspective("analyze", body, analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["attributeScores"].size(), 7u) << r;
    for (const auto& [name, scores] : r.body["attributeScores"].items()) {
        EXPECT_EQ(scores["summaryScore"]["type"], "PROBABILITY") << name;
        const float v = scores["summaryScore"]["value"].get<float>();
        EXPECT_GE(v, 0.0f) << name;
        EXPECT_LE(v, 1.0f) << name;
    }
    EXPECT_EQ(summary(r, "INSULT_EXPERIMENTAL"), summary(r, "INSULT")) << "the same head";
    EXPECT_GT(summary(r, "THREAT"), summary(r, "PROFANITY")) << r;
    EXPECT_EQ(r.body["clientToken"], "req-42") << r;
    EXPECT_EQ(r.body["languages"], json::array({"en"})) << "detected when not given: " << r;
}

TEST_F(perspective_test, score_threshold_omits_attributes_below_it) {
    const std::string text = "This is a stupid idea and you know it";
    json body = {{"comment", {{"text", text}}},
                 {"requestedAttributes", {{"TOXICITY", json::object()}, {"THREAT", json::object()}}}};
    auto plain = perspective("analyze", body, analyst_key());
    ASSERT_EQ(plain.status, 200u) << plain;
    const float tox = summary(plain, "TOXICITY");
    const float threat = summary(plain, "THREAT");
    ASSERT_GT(tox, threat + 0.02f) << "the test needs toxicity clearly above threat: " << plain;

    const float between = (tox + threat) / 2;
    body["requestedAttributes"]["TOXICITY"]["scoreThreshold"] = between;
    body["requestedAttributes"]["THREAT"]["scoreThreshold"] = between;
    auto r = perspective("analyze", body, analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_TRUE(r.body["attributeScores"].contains("TOXICITY")) << r;
    EXPECT_FALSE(r.body["attributeScores"].contains("THREAT")) << "below its threshold: " << r;

    body["requestedAttributes"]["TOXICITY"]["scoreThreshold"] = 1.0;
    auto none = perspective("analyze", body, analyst_key());
    ASSERT_EQ(none.status, 200u) << none;
    EXPECT_TRUE(none.body["attributeScores"].empty()) << none;
}

TEST_F(perspective_test, span_scores_follow_perspectives_documented_example) {
    // Perspective's reference: this text has spans [0, 31) and [32, 56).
    json body = {{"comment", {{"text", "What kind of idiot name is foo? Sorry, I like your name."}}},
                 {"languages", {"en"}},
                 {"requestedAttributes", {{"TOXICITY", json::object()}, {"INSULT", json::object()}}},
                 {"spanAnnotations", true}};
    auto r = perspective("analyze", body, analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    for (const char* attr : {"TOXICITY", "INSULT"}) {
        const json& spans = r.body["attributeScores"][attr]["spanScores"];
        ASSERT_EQ(spans.size(), 2u) << attr << ": " << r;
        EXPECT_EQ(spans[0]["begin"], 0) << r;
        EXPECT_EQ(spans[0]["end"], 31) << r;
        EXPECT_EQ(spans[1]["begin"], 32) << r;
        EXPECT_EQ(spans[1]["end"], 56) << r;
        EXPECT_EQ(spans[0]["score"]["type"], "PROBABILITY") << r;
        EXPECT_GT(spans[0]["score"]["value"].get<float>(), spans[1]["score"]["value"].get<float>())
            << "the insulting sentence scores higher: " << r;
    }
}

TEST_F(perspective_test, span_offsets_count_utf16_code_units) {
    // U+1F600 is one code point but two UTF-16 code units; é is one of each.
    json body = {{"comment", {{"text", "\xF0\x9F\x98\x80 caf\xC3\xA9 idiot! Hello there."}}},
                 {"requestedAttributes", {{"TOXICITY", json::object()}}},
                 {"spanAnnotations", true}};
    auto r = perspective("analyze", body, analyst_key());
    ASSERT_EQ(r.status, 200u) << r;
    const json& spans = r.body["attributeScores"]["TOXICITY"]["spanScores"];
    ASSERT_EQ(spans.size(), 2u) << r;
    // "😀 café idiot!" = 2 + 1 + 4 + 1 + 6 = 14 UTF-16 code units (13 code points).
    EXPECT_EQ(spans[0]["begin"], 0) << r;
    EXPECT_EQ(spans[0]["end"], 14) << r;
    EXPECT_EQ(spans[1]["begin"], 15) << r;
    EXPECT_EQ(spans[1]["end"], 27) << r;
}

TEST_F(perspective_test, each_invalid_request_gets_googles_error_shape) {
    const std::string key = analyst_key();
    json unknown = coral_analyze("hello");
    unknown["requestedAttributes"] = {{"TOXCITY", json::object()}};
    expect_google_error(perspective("analyze", unknown, key), 400, "INVALID_ARGUMENT", "TOXCITY");

    json lang = coral_analyze("hallo zusammen");
    lang["languages"] = {"de"};
    expect_google_error(perspective("analyze", lang, key), 400, "INVALID_ARGUMENT",
                        "does not support request languages: de");
    lang["languages"] = {"en-US"};
    EXPECT_EQ(perspective("analyze", lang, key).status, 200u) << "a BCP-47 tag of a supported language";

    expect_google_error(perspective("analyze", coral_analyze(""), key), 400, "INVALID_ARGUMENT");
    expect_google_error(perspective("analyze", coral_analyze(" \n\t "), key), 400, "INVALID_ARGUMENT");
    json no_comment = {{"requestedAttributes", {{"TOXICITY", json::object()}}}};
    expect_google_error(perspective("analyze", no_comment, key), 400, "INVALID_ARGUMENT");

    const std::string long_text(20481, 'a');
    expect_google_error(perspective("analyze", coral_analyze(long_text), key), 400, "INVALID_ARGUMENT",
                        "exceeded limit (20480)");
    EXPECT_EQ(perspective("analyze", coral_analyze(std::string(20000, 'a')), key).status, 200u);

    json no_attrs = {{"comment", {{"text", "hello"}}}};
    expect_google_error(perspective("analyze", no_attrs, key), 400, "INVALID_ARGUMENT");
    json bad_threshold = coral_analyze("hello");
    bad_threshold["requestedAttributes"]["TOXICITY"]["scoreThreshold"] = 2;
    expect_google_error(perspective("analyze", bad_threshold, key), 400, "INVALID_ARGUMENT");
    json bad_type = coral_analyze("hello");
    bad_type["requestedAttributes"]["TOXICITY"]["scoreType"] = "PERCENTILE";
    expect_google_error(perspective("analyze", bad_type, key), 400, "INVALID_ARGUMENT");
    json html = coral_analyze("<b>hello</b>");
    html["comment"]["type"] = "HTML";
    expect_google_error(perspective("analyze", html, key), 400, "INVALID_ARGUMENT");
    json wrong_type = coral_analyze("hello");
    wrong_type["doNotStore"] = "yes";
    expect_google_error(perspective("analyze", wrong_type, key), 400, "INVALID_ARGUMENT", "doNotStore");

    auto not_json = call_anonymous(http::verb::post, "/v1alpha1/comments:analyze?key=" + key, "{oops");
    expect_google_error(not_json, 400, "INVALID_ARGUMENT");
    auto get = call_anonymous(http::verb::get, "/v1alpha1/comments:analyze?key=" + key);
    expect_google_error(get, 405, "INVALID_ARGUMENT");
}

TEST_F(perspective_test, attributes_tribune_does_not_offer_fail_unless_dropped) {
    json body = coral_analyze("You are lovely");
    body["requestedAttributes"]["SEXUALLY_EXPLICIT"] = json::object();
    body["requestedAttributes"]["FLIRTATION"] = json::object();
    auto r = perspective("analyze", body, analyst_key());
    expect_google_error(r, 400, "INVALID_ARGUMENT", "not offered");
    EXPECT_NE(r.raw.find("ATTRIBUTE_NOT_OFFERED"), std::string::npos) << r;

    body["dropUnsupportedAttributes"] = true;
    auto dropped = perspective("analyze", body, analyst_key());
    ASSERT_EQ(dropped.status, 200u) << dropped;
    EXPECT_EQ(dropped.body["attributeScores"].size(), 1u) << dropped;
    EXPECT_TRUE(dropped.body["attributeScores"].contains("TOXICITY")) << dropped;
}

TEST_F(perspective_test, keys_missing_wrong_or_of_another_role_are_refused) {
    json body = coral_analyze("hello there");
    expect_google_error(perspective("analyze", body, ""), 401, "UNAUTHENTICATED");
    expect_google_error(perspective("analyze", body, "trb_notARealKeyButLongEnough1234567890abcd"), 403,
                        "PERMISSION_DENIED");
    expect_google_error(perspective("analyze", body, "garbage"), 403, "PERMISSION_DENIED");
    expect_google_error(perspective("analyze", body, token_for("moderator", "mod")), 403,
                        "PERMISSION_DENIED", "analyst");
    expect_google_error(perspective("suggestscore", body, token_for("api_client", "bridge")), 403,
                        "PERMISSION_DENIED");

    // Other ways Google's clients send a key; an admin key is accepted too.
    const std::string key = analyst_key();
    auto with_bearer =
        call_anonymous(http::verb::post, "/v1alpha1/comments:analyze", body.dump(), bearer(key));
    EXPECT_EQ(with_bearer.status, 200u) << with_bearer;
    auto goog = call_anonymous(http::verb::post, "/v1alpha1/comments:analyze", body.dump(),
                               {{"X-Goog-Api-Key", key}});
    EXPECT_EQ(goog.status, 200u) << goog;
    EXPECT_EQ(perspective("analyze", body, admin_token()).status, 200u);

    // A revoked key stops at once.
    auto tokens = get("/api/v1/tokens");
    std::int64_t id = 0;
    for (const json& t : tokens.body["items"])
        if (t["name"] == "coral") id = t["id"];
    ASSERT_GT(id, 0) << tokens;
    ASSERT_EQ(call(http::verb::delete_, "/api/v1/tokens/" + std::to_string(id)).status, 200u);
    expect_google_error(perspective("analyze", body, key), 403, "PERMISSION_DENIED");
}

TEST_F(perspective_test, an_analyst_key_reaches_nothing_but_the_perspective_api) {
    const std::string key = analyst_key();
    for (const char* target : {"/api/v1/events", "/api/v1/events/demo", "/api/v1/events/demo/questions",
                               "/api/v1/tokens", "/api/v1/webhooks", "/api/v1/perspective/suggestions"})
        expect_error(call(http::verb::get, target, "", bearer(key)), 403, "forbidden");
    expect_error(call(http::verb::post, "/api/v1/events/demo/questions",
                      json{{"text", "a question"}}.dump(), bearer(key)),
                 403, "forbidden");
    auto stream = ws_client::connect(port(), "/api/v1/events/demo/stream", nullptr,
                                     default_ws_timeout, bearer(key));
    EXPECT_EQ(stream, nullptr) << "no live stream for an analyst key";
}

TEST_F(perspective_test, a_key_beyond_its_quota_gets_429_resource_exhausted) {
    auto made = post("/api/v1/tokens", {{"name", "metered"}, {"role", "analyst"},
                                        {"quota", {{"requests", 2}, {"per", "minute"}}}});
    ASSERT_EQ(made.status, 201u) << made;
    EXPECT_EQ(made.body["quota"], (json{{"requests", 2}, {"per", "minute"}})) << made;
    const std::string metered = made.body["token"];
    json body = coral_analyze("hello there");
    EXPECT_EQ(perspective("analyze", body, metered).status, 200u);
    EXPECT_EQ(perspective("suggestscore",
                          {{"comment", {{"text", "hi"}}},
                           {"attributeScores", {{"TOXICITY", {{"summaryScore", {{"value", 0}}}}}}}},
                          metered)
                  .status,
              200u)
        << "suggestscore counts against the same quota";
    auto over = perspective("analyze", body, metered);
    expect_google_error(over, 429, "RESOURCE_EXHAUSTED", "2 requests per minute");
    const std::string retry = over.header("retry-after");
    ASSERT_FALSE(retry.empty()) << over;
    EXPECT_GE(std::stoi(retry), 1) << over;
    // Other keys are not affected.
    EXPECT_EQ(perspective("analyze", body, analyst_key()).status, 200u);

    auto bad = post("/api/v1/tokens", {{"name", "x"}, {"role", "analyst"}, {"quota", {{"requests", 0}}}});
    expect_error(bad, 400, "invalid_field");
}

TEST_F(perspective_test, token_cli_makes_analyst_keys_with_a_quota) {
    std::string out;
    const std::string db = current_config().db_path;
    ASSERT_EQ(run_tribune({"token", "create", "--role", "analyst", "--name", "cli-key", "--quota",
                           "1/min", "--db", db, "--migrations",
                           std::string(TRIBUNE_SOURCE_DIR) + "/migrations"},
                          &out),
              0)
        << out;
    const std::string key = out.substr(0, out.find('\n'));
    ASSERT_EQ(key.rfind("trb_", 0), 0u) << out;
    EXPECT_EQ(perspective("analyze", coral_analyze("first"), key).status, 200u);
    expect_google_error(perspective("analyze", coral_analyze("second"), key), 429, "RESOURCE_EXHAUSTED");
    ASSERT_EQ(run_tribune({"token", "list", "--db", db, "--migrations",
                           std::string(TRIBUNE_SOURCE_DIR) + "/migrations"},
                          &out),
              0);
    EXPECT_NE(out.find("cli-key\tanalyst\t*"), std::string::npos) << out;
    EXPECT_NE(out.find("1/min"), std::string::npos) << out;
    EXPECT_NE(run_tribune({"token", "create", "--role", "analyst", "--name", "x", "--quota", "lots",
                           "--db", db},
                          &out),
              0);
}

}  // namespace
}  // namespace tribune::test

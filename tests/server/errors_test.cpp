// Bad input: every case answers its 4xx with {"error": {"code", "message"}} from
// docs/api.md "Errors", nothing is stored, and the server stays healthy.

#include <string>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class errors_test : public server_test {
protected:
    http_response post_raw(std::string_view target, std::string body,
                           const header_list& headers = {}) {
        return call(http::verb::post, target, std::move(body), headers);
    }
    http_response post_q(std::string body, const header_list& headers = {}) {
        return post_raw("/api/v1/events/demo/questions", std::move(body), headers);
    }

    // Healthy, still accepts a valid question, and stored nothing from the bad requests.
    void expect_healthy_and_untouched(std::size_t stored_before) {
        auto h = get("/healthz");
        EXPECT_EQ(h.status, 200u) << h;
        EXPECT_EQ(h.body.value("status", ""), "ok") << h;
        EXPECT_EQ(list_all("demo").size(), stored_before) << "a rejected request stored something";
        json q = post_text("demo", clean_text);
        EXPECT_GT(id_of(q), 0);
    }
};

std::string repeat(std::string_view unit, std::size_t n) {
    std::string out;
    out.reserve(unit.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += unit;
    return out;
}

TEST_F(errors_test, malformed_json_and_non_objects) {
    expect_error(post_q(R"({"text": )"), 400, "invalid_json");
    expect_error(post_q(R"({"text": "a",})"), 400, "invalid_json");
    expect_error(post_q("not json"), 400, "invalid_json");
    expect_error(post_q(R"([{"text": "a"}])"), 400, "invalid_json");
    expect_error(post_q(R"("just a string")"), 400, "invalid_json");
    expect_error(post_q("42"), 400, "invalid_json");
    expect_error(post_q("null"), 400, "invalid_json");
    expect_error(post_q(""), 400, "invalid_json");
    expect_healthy_and_untouched(0);
}

TEST_F(errors_test, missing_or_blank_text) {
    expect_error(post_q("{}"), 400, "text_required");
    expect_error(post_q(R"({"author": "alice"})"), 400, "text_required");
    expect_error(post_q(R"({"text": ""})"), 400, "text_required");
    expect_error(post_q(R"({"text": "   \t\n  "})"), 400, "text_required");
    expect_healthy_and_untouched(0);
}

TEST_F(errors_test, text_limit_counts_code_points) {
    // Exactly 2,000 code points is accepted, ASCII or not.
    json ascii = post_question("demo", {{"text", repeat("a", 2000)}});
    EXPECT_EQ(ascii.value("text", std::string()).size(), 2000u);
    const std::string e_acute = "\xC3\xA9";  // é: 2 bytes, 1 code point
    json wide = post_question("demo", {{"text", repeat(e_acute, 2000)}});
    EXPECT_EQ(wide.value("text", std::string()), repeat(e_acute, 2000));
    const std::string emoji = "\xF0\x9F\x98\x80";  // 4 bytes, 1 code point
    post_question("demo", {{"text", repeat(emoji, 2000)}});

    auto over = post_q(json{{"text", repeat("a", 2001)}}.dump());
    expect_error(over, 400, "text_too_long");
    expect_error(post_q(json{{"text", repeat(e_acute, 2001)}}.dump()), 400, "text_too_long");
    expect_error(post_q(json{{"text", repeat(emoji, 2001)}}.dump()), 400, "text_too_long");
    expect_healthy_and_untouched(3);
}

TEST_F(errors_test, invalid_utf8) {
    // A lone continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate
    // encoded in UTF-8, and a code point above U+10FFFF.
    for (std::string bad : {std::string("\x80"), std::string("abc\xC3"),
                            std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                            std::string("\xF4\x90\x80\x80")}) {
        auto r = post_q(R"({"text": "hello )" + bad + R"( world"})");
        expect_error(r, 400, "invalid_utf8");
    }
    expect_error(post_q("{\"text\": \"fine\", \"author\": \"\xFF\xFE\"}"), 400, "invalid_utf8");
    expect_healthy_and_untouched(0);
}

TEST_F(errors_test, body_too_large) {
    // 64 KiB is the default limit; a valid JSON object just over it.
    std::string big = json{{"text", repeat("a", 70 * 1024)}}.dump();
    expect_error(post_q(big), 413, "body_too_large");
    std::string huge = json{{"text", repeat("a", 1024 * 1024)}}.dump();
    expect_error(post_q(huge), 413, "body_too_large");
    expect_healthy_and_untouched(0);
}

TEST_F(errors_test, unsupported_media_type) {
    expect_error(post_q(json{{"text", clean_text}}.dump(), {{"Content-Type", "text/plain"}}), 415,
                 "unsupported_media_type");
    expect_error(post_q(json{{"text", clean_text}}.dump(),
                        {{"Content-Type", "application/x-www-form-urlencoded"}}),
                 415, "unsupported_media_type");
    // A charset parameter does not change the media type.
    auto r = post_q(json{{"text", clean_text}}.dump(),
                    {{"Content-Type", "application/json; charset=utf-8"}});
    EXPECT_EQ(r.status, 201u) << r;
    expect_healthy_and_untouched(1);
}

TEST_F(errors_test, wrong_field_types) {
    expect_error(post_q(R"({"text": "hi", "author": 5})"), 400, "invalid_field");
    expect_error(post_q(R"({"text": "hi", "source": ["x"]})"), 400, "invalid_field");
    expect_error(post_q(R"({"text": "hi", "external_id": {"a": 1}})"), 400, "invalid_field");
    expect_error(post_q(R"({"text": 5})"), 400, "invalid_field");
    expect_error(post_q(R"({"text": ["hi"]})"), 400, "invalid_field");
    expect_healthy_and_untouched(0);

    json q = post_text("demo", review_text);
    const std::string target = "/api/v1/questions/" + std::to_string(id_of(q)) + "/decision";
    expect_error(post_raw(target, R"({"action": "approve", "expected_version": "one"})"), 400,
                 "invalid_field");
    expect_error(post_raw(target, R"({"action": "approve", "reason": 3})"), 400, "invalid_field");
    expect_error(post_raw(target, R"({"action": "approve", "moderator": false})"), 400,
                 "invalid_field");
    expect_error(post_raw("/api/v1/events", R"({"slug": "ok-slug", "title": 7})"), 400,
                 "invalid_field");
    expect_error(post_raw("/api/v1/events", R"({"slug": "ok-slug", "premoderate": "yes"})"), 400,
                 "invalid_field");
    EXPECT_EQ(get_question(id_of(q))["status"], "pending") << "a rejected decision changed it";
    EXPECT_EQ(get("/api/v1/events/ok-slug").status, 404u);
}

TEST_F(errors_test, unknown_event_question_and_action) {
    expect_error(post_raw("/api/v1/events/nope/questions", json{{"text", "hi"}}.dump()), 404,
                 "event_not_found");
    expect_error(get("/api/v1/events/nope"), 404, "event_not_found");
    expect_error(get("/api/v1/events/nope/questions"), 404, "event_not_found");
    expect_error(get("/api/v1/questions/999999"), 404, "question_not_found");
    expect_error(get("/api/v1/questions/999999/decisions"), 404, "question_not_found");
    expect_error(post_raw("/api/v1/questions/999999/decision", R"({"action": "approve"})"), 404,
                 "question_not_found");

    json q = post_text("demo", review_text);
    const std::string target = "/api/v1/questions/" + std::to_string(id_of(q)) + "/decision";
    expect_error(post_raw(target, R"({"action": "delete"})"), 400, "unknown_action");
    expect_error(post_raw(target, R"({"action": "APPROVE"})"), 400, "unknown_action");
    expect_error(post_raw(target, R"({"action": "approve",)"), 400, "invalid_json");
    EXPECT_EQ(get_question(id_of(q))["status"], "pending");
    expect_healthy_and_untouched(1);
}

TEST_F(errors_test, unknown_route_and_wrong_method) {
    expect_error(get("/api/v1/nothing"), 404, "not_found");
    expect_error(get("/api/v2/events"), 404, "not_found");
    expect_error(get("/api/v1/events/demo/nothing"), 404, "not_found");
    expect_error(call(http::verb::delete_, "/api/v1/events"), 405, "method_not_allowed");
    expect_error(call(http::verb::put, "/api/v1/events/demo/questions", R"({"text": "hi"})"), 405,
                 "method_not_allowed");
    expect_error(call(http::verb::post, "/healthz", "{}"), 405, "method_not_allowed");
    // On an existing question, so that only the method is wrong.
    const std::int64_t id = id_of(post_text("demo", clean_text));
    expect_error(call(http::verb::get, "/api/v1/questions/" + std::to_string(id) + "/decision"),
                 405, "method_not_allowed");
    expect_error(call(http::verb::delete_, "/api/v1/questions/" + std::to_string(id)), 405,
                 "method_not_allowed");
    expect_healthy_and_untouched(1);
}

TEST_F(errors_test, bad_and_duplicate_event_slugs) {
    const std::vector<std::string> bad_slugs = {"Bad Slug", "UPPER",  "-leading-dash",
                                                "",         "a_b",    "sl/ash",
                                                std::string(65, 'a'), "caf\xC3\xA9"};
    for (const std::string& slug : bad_slugs) {
        auto r = post_raw("/api/v1/events", json{{"slug", slug}, {"title", "T"}}.dump());
        expect_error(r, 400, "invalid_slug");
    }
    // The longest and shortest valid slugs.
    EXPECT_EQ(post("/api/v1/events", {{"slug", std::string(64, 'a')}, {"title", "Long"}}).status,
              201u);
    EXPECT_EQ(post("/api/v1/events", {{"slug", "0"}, {"title", "Digit"}}).status, 201u);

    expect_error(post("/api/v1/events", {{"slug", "demo"}, {"title", "Again"}}), 409,
                 "event_exists");
    create_event("townhall", false);
    expect_error(post("/api/v1/events", {{"slug", "townhall"}, {"title", "Twice"}}), 409,
                 "event_exists");
    auto ev = get("/api/v1/events/townhall");
    EXPECT_EQ(ev.body.value("title", ""), "Event townhall") << "a rejected duplicate changed it";
    expect_healthy_and_untouched(0);
}

TEST_F(errors_test, many_bad_requests_in_a_row_leave_the_server_healthy) {
    for (int i = 0; i < 50; ++i) {
        post_q("{broken");
        post_q("\xFF\xFE");
        post_q(json{{"text", repeat("x", 3000)}}.dump());
        get("/api/v1/questions/abc");
    }
    expect_healthy_and_untouched(0);
}

}  // namespace
}  // namespace tribune::test

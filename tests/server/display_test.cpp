// The room's display (issue 14; docs/api.md "The room's display"): a display token reads the
// display of its event and nothing else; without a token the display is readable only once an
// admin made it public; its stream shows the question being answered now, who asked it (nobody
// when the event is anonymous) and how many asked the same, and follows every change.

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

class display_test : public server_test {
protected:
    header_list screen() { return bearer(token_for("display", "room", "town")); }
    header_list exec() { return bearer(token_for("executive", "erin")); }

    void shortlist_now(std::int64_t id) {
        auto add = call(http::verb::post, "/api/v1/events/town/shortlist",
                        json{{"question_id", id}}.dump(), exec());
        ASSERT_EQ(add.status, 200u) << add;
        auto now = call(http::verb::patch, "/api/v1/events/town/shortlist/" + std::to_string(id),
                        json{{"answering_now", true}}.dump(), exec());
        ASSERT_EQ(now.status, 200u) << now;
    }

    // The next display message whose "now" satisfies `want`; empty json after 5 s.
    json display_where(ws_client& ws, const std::function<bool(const json&)>& want) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(1s);
            if (!m) continue;
            EXPECT_EQ(m->value("type", ""), "display") << m->dump();
            if (want((*m)["now"])) return *m;
        }
        ADD_FAILURE() << "no such display within 5 s";
        return {};
    }

    std::unique_ptr<ws_client> open_display(const header_list& who, std::string* error = nullptr) {
        return ws_client::connect(port(), "/api/v1/events/town/display/stream", error,
                                  default_ws_timeout, who);
    }
};

TEST_F(display_test, a_display_token_reads_the_display_and_nothing_else) {
    ASSERT_FALSE(create_event("town", false).is_null());
    ASSERT_FALSE(create_event("other", false).is_null());
    const std::int64_t id = id_of(post_text("town", clean_text));
    const std::string q = std::to_string(id);
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/display", {}, screen()).status, 200u);
    EXPECT_EQ(call(http::verb::get, "/api/v1/session", {}, screen()).status, 200u);
    for (const std::string& target : std::vector<std::string>{
             "/api/v1/events", "/api/v1/events/town", "/api/v1/events/town/questions",
          "/api/v1/questions/" + q, "/api/v1/questions/" + q + "/decisions",
          "/api/v1/events/town/shortlist", "/api/v1/events/town/ranking", "/api/v1/events/town/settings",
          "/api/v1/events/town/policy", "/api/v1/tokens", "/api/v1/events/other/display"}) {
        auto r = call(http::verb::get, target, {}, screen());
        EXPECT_EQ(r.status, 403u) << target << ": " << r;
    }
    for (const auto& [target, body] : std::vector<std::pair<std::string, json>>{
             {"/api/v1/events/town/shortlist", {{"question_id", id}}},
             {"/api/v1/questions/" + q + "/decision", {{"action", "answer"}}},
             {"/api/v1/events/town/questions", {{"text", "a display asking"}}}}) {
        auto r = call(http::verb::post, target, body.dump(), screen());
        EXPECT_EQ(r.status, 403u) << target << ": " << r;
    }
    std::string error;
    EXPECT_EQ(ws_client::connect(port(), "/api/v1/events/town/stream?mode=view", &error,
                                 default_ws_timeout, screen()),
              nullptr);
    EXPECT_NE(error.find("HTTP 403"), std::string::npos) << error;
    auto ws = open_display(screen(), &error);
    ASSERT_NE(ws, nullptr) << error;
    auto first = ws->read_json();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ((*first)["type"], "display");
    EXPECT_TRUE((*first)["now"].is_null());
    // Other readers of the display: executives, moderators, admins.
    for (const header_list& who : {exec(), bearer(token_for("moderator", "mo")), bearer(admin_token())})
        EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/display", {}, who).status, 200u);
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/display", {},
                   bearer(token_for("api_client", "bridge"))).status, 403u);
}

TEST_F(display_test, the_public_link_works_only_once_an_admin_turns_it_on) {
    ASSERT_FALSE(create_event("town", false).is_null());
    expect_error(call_anonymous(http::verb::get, "/api/v1/events/town/display"), 401, "authentication_required");
    // Not even whether an event exists is told without a token.
    expect_error(call_anonymous(http::verb::get, "/api/v1/events/nope/display"), 401, "authentication_required");
    std::string error;
    EXPECT_EQ(open_display({}, &error), nullptr);
    EXPECT_NE(error.find("HTTP 401"), std::string::npos) << error;
    auto page = call_anonymous(http::verb::get, "/display/town");
    EXPECT_EQ(page.status, 200u) << "the page itself is a static file";
    EXPECT_NE(page.raw.find("display.js"), std::string::npos);

    ASSERT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"display_public": true})").status, 200u);
    auto r = call_anonymous(http::verb::get, "/api/v1/events/town/display");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["title"], "Event town");
    auto ws = open_display({}, &error);
    ASSERT_NE(ws, nullptr) << error;
    EXPECT_TRUE(ws->read_json().has_value());
    // Public is the display only.
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/events/town/shortlist").status, 401u);
    expect_error(call_anonymous(http::verb::get, "/api/v1/events/nope/display"), 401, "authentication_required");

    // Turned off again: the open public stream is closed, and its reconnect refused.
    ASSERT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"display_public": false})").status, 200u);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!ws->ended() && std::chrono::steady_clock::now() < deadline) ws->read_json(200ms);
    EXPECT_TRUE(ws->ended());
    EXPECT_EQ(open_display({}, &error), nullptr);
}

TEST_F(display_test, the_display_stream_shows_answering_now_with_asker_and_group_size) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t first = id_of(post_question("town", {{"text", "When will you lower the overdraft fees?"}, {"author", "ana"}}));
    const std::int64_t next = id_of(post_question("town", {{"text", "What about the Elm Street branch?"}, {"author", "bo"}}));
    std::string error;
    auto ws = open_display(screen(), &error);
    ASSERT_NE(ws, nullptr) << error;
    ASSERT_TRUE(display_where(*ws, [](const json& now) { return now.is_null(); }).is_object());

    ASSERT_NO_FATAL_FAILURE(shortlist_now(first));
    auto add = call(http::verb::post, "/api/v1/events/town/shortlist", json{{"question_id", next}}.dump(), exec());
    ASSERT_EQ(add.status, 200u);
    json shown = display_where(*ws, [&](const json& now) { return now.is_object() && id_of(now) == first; });
    ASSERT_TRUE(shown.is_object());
    EXPECT_EQ(shown["now"]["author"], "ana");
    EXPECT_EQ(shown["now"]["asked"], 1);
    EXPECT_EQ(shown["now"]["text"], "When will you lower the overdraft fees?");

    // Someone asks the same: the count goes up at once.
    post_question("town", {{"text", "when will u lower overdraft fees??"}, {"author", "cy"}});
    shown = display_where(*ws, [&](const json& now) { return now.is_object() && now["asked"] == 2; });
    ASSERT_TRUE(shown.is_object());
    ASSERT_EQ(shown["next"].size(), 1u) << shown.dump();
    EXPECT_EQ(id_of(shown["next"][0]), next);

    // A moderator takes it back: it leaves the display.
    decide(first, "reject");
    ASSERT_TRUE(display_where(*ws, [](const json& now) { return now.is_null(); }).is_object());

    // Anonymous: the stream reconnects under the new settings, and names nobody.
    ASSERT_NO_FATAL_FAILURE(shortlist_now(next));
    ASSERT_EQ(call(http::verb::put, "/api/v1/events/town/settings", R"({"anonymous": true})").status, 200u);
    auto again = open_display(screen(), &error);
    ASSERT_NE(again, nullptr) << error;
    shown = display_where(*again, [&](const json& now) { return now.is_object() && id_of(now) == next; });
    ASSERT_TRUE(shown.is_object());
    EXPECT_TRUE(shown["now"]["author"].is_null()) << shown.dump();
    EXPECT_EQ(shown["anonymous"], true);
    auto by_rest = call(http::verb::get, "/api/v1/events/town/display?next=0", {}, screen());
    ASSERT_EQ(by_rest.status, 200u);
    EXPECT_TRUE(by_rest.body["now"]["author"].is_null());
    EXPECT_TRUE(by_rest.body["next"].empty());
    expect_error(call(http::verb::get, "/api/v1/events/town/display?next=9", {}, screen()), 400, "invalid_field");
}

// A page cannot tell a quiet display from a dead connection unless the server answers: each
// client message is answered with a pong (when nothing else is on its way).
TEST_F(display_test, a_ping_is_answered_so_a_silent_connection_can_be_told_from_a_quiet_display) {
    ASSERT_FALSE(create_event("town", false).is_null());
    std::string error;
    auto ws = open_display(screen(), &error);
    ASSERT_NE(ws, nullptr) << error;
    auto first = ws->read_json();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->value("type", ""), "display");
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(ws->send_text(R"({"type":"ping"})"));
        auto pong = ws->read_json();
        ASSERT_TRUE(pong.has_value()) << "ping " << i << " not answered";
        EXPECT_EQ(pong->dump(), R"({"type":"pong"})");
    }
}

}  // namespace
}  // namespace tribune::test

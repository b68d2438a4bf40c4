// The live stream as executives and moderators see the shortlist (issue 14; docs/api.md "Live
// stream", executives): an executive's view stream carries approved and answered questions
// only — never the text of a pending or rejected one, not even when a question leaves its
// view — and the members the event's settings allow; shortlist changes reach executives and
// moderators who asked for them; a settings change reconnects the executives' streams.

#include <functional>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

class executive_stream_test : public server_test {
protected:
    header_list exec() { return bearer(token_for("executive", "erin")); }
    header_list mod() { return bearer(token_for("moderator", "mo")); }

    // A view stream of `slug` opened with `who`'s token, subscribed with `subscribe` (the
    // type, id and view are filled in), its first answer read into `first`.
    std::unique_ptr<ws_client> open_view(std::string_view slug, const header_list& who,
                                         json subscribe, json& first) {
        auto ws = open_stream(slug, "mode=view", who);
        if (ws == nullptr) return ws;
        subscribe["type"] = "subscribe";
        subscribe["id"] = 1;
        if (!subscribe.contains("view")) subscribe["view"] = json::object();
        EXPECT_TRUE(ws->send_text(subscribe.dump()));
        auto m = ws->read_json();
        EXPECT_TRUE(m.has_value()) << "no answer to the subscribe";
        first = m.value_or(json());
        return ws;
    }

    // Reads messages (keeping every one in `seen`) until `done` says so; false after `patience`.
    bool read_until(ws_client& ws, std::vector<json>& seen, const std::function<bool(const json&)>& done,
                    std::chrono::milliseconds patience = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + patience;
        while (std::chrono::steady_clock::now() < deadline) {
            auto m = ws.read_json(1s);
            if (!m) continue;
            seen.push_back(*m);
            if (done(*m)) return true;
        }
        return false;
    }

    // The frame entries of `seen` with this op.
    static std::vector<json> entries(const std::vector<json>& seen, std::string_view op) {
        std::vector<json> out;
        for (const json& m : seen)
            if (m.value("type", "") == "frame")
                for (const json& c : m["changes"])
                    if (c.value("op", "") == op) out.push_back(c);
        return out;
    }

    void add_to_shortlist(std::string_view slug, std::int64_t id) {
        auto r = call(http::verb::post, "/api/v1/events/" + std::string(slug) + "/shortlist",
                      json{{"question_id", id}}.dump(), exec());
        EXPECT_EQ(r.status, 200u) << r;
    }
};

TEST_F(executive_stream_test, an_executive_stream_never_carries_pending_or_rejected_text) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t early = id_of(post_text("town", "Early approved question about parking?"));
    post_text("town", "Why is the minister such an idiot? secretpending1");  // pending
    json first;
    auto ws = open_view("town", exec(), {{"shortlist", true}}, first);
    ASSERT_NE(ws, nullptr);
    ASSERT_EQ(first.value("type", ""), "snapshot") << first.dump();
    ASSERT_EQ(first["items"].size(), 1u) << first.dump();
    EXPECT_EQ(id_of(first["items"][0]), early);
    EXPECT_EQ(first["view"]["status"], (json{"approved", "answered"})) << "held to what executives see";
    EXPECT_TRUE(first["shortlist"]["items"].is_array());
    for (const char* member : {"scores", "spans", "verdict"})
        EXPECT_FALSE(first["items"][0].contains(member)) << member;

    const std::int64_t pending = id_of(post_text("town", "What an idiot plan, secretpending2"));
    post_text("town", "I will kill the minister secretrejected3");  // auto_rejected
    const std::int64_t taken_back = id_of(post_text("town", "Approved then taken back secretlater4?"));
    decide(pending, "approve");
    decide(taken_back, "reject");

    std::vector<json> seen;
    std::string raw;
    ASSERT_TRUE(read_until(*ws, seen, [&](const json& m) {
        raw += m.dump();
        for (const json& c : m.value("changes", json::array()))
            if (c["op"] == "remove" && id_of(c["question"]) == taken_back) return true;
        return false;
    })) << raw;
    for (const json& c : entries(seen, "upsert")) {
        const std::string st = c["question"]["status"];
        EXPECT_TRUE(st == "approved" || st == "answered") << c.dump();
        EXPECT_FALSE(c["question"].contains("scores")) << c.dump();
    }
    EXPECT_EQ(raw.find("secretpending1"), std::string::npos);
    EXPECT_EQ(raw.find("secretrejected3"), std::string::npos);
    // The question a moderator approved arrives; the one taken back leaves by id and version.
    EXPECT_NE(raw.find("secretpending2"), std::string::npos) << "an approved question did not arrive";
    const auto removes = entries(seen, "remove");
    ASSERT_EQ(removes.size(), 1u) << raw;
    EXPECT_EQ(removes[0]["question"], (json{{"id", taken_back}, {"version", 2}}));

    // Asking for another state is refused, and the stream stays as it was.
    ASSERT_TRUE(ws->send_text(json{{"type", "subscribe"}, {"id", 2}, {"view", {{"status", {"pending"}}}}}.dump()));
    auto refused = ws->read_json();
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ((*refused)["type"], "error");
    EXPECT_EQ((*refused)["error"]["code"], "forbidden");
}

TEST_F(executive_stream_test, executives_may_not_open_the_per_change_stream) {
    ASSERT_FALSE(create_event("town", false).is_null());
    std::string error;
    auto ws = ws_client::connect(port(), "/api/v1/events/town/stream", &error, default_ws_timeout, exec());
    EXPECT_EQ(ws, nullptr);
    EXPECT_NE(error.find("HTTP 403"), std::string::npos) << error;
}

TEST_F(executive_stream_test, shortlist_changes_reach_executives_and_moderators_live) {
    ASSERT_FALSE(create_event("town", false).is_null());
    const std::int64_t a = id_of(post_text("town", "What about the Elm Street branch?"));
    const std::int64_t b = id_of(post_text("town", "What is the plan for the mobile app?"));
    json first;
    auto other_exec = open_view("town", bearer(token_for("executive", "frank")), {{"shortlist", true}}, first);
    ASSERT_NE(other_exec, nullptr);
    auto moderator = open_view("town", mod(), {{"shortlist", true}, {"view", {{"status", {"pending"}}}}}, first);
    ASSERT_NE(moderator, nullptr);
    auto without = open_view("town", mod(), json::object(), first);
    ASSERT_NE(without, nullptr);

    add_to_shortlist("town", a);
    add_to_shortlist("town", b);
    auto put = call(http::verb::put, "/api/v1/events/town/shortlist", json{{"order", {b, a}}}.dump(), exec());
    ASSERT_EQ(put.status, 200u) << put;
    auto now = call(http::verb::patch, "/api/v1/events/town/shortlist/" + std::to_string(a),
                    json{{"answering_now", true}, {"note", "Open on Saturdays"}}.dump(), exec());
    ASSERT_EQ(now.status, 200u) << now;

    auto last_shortlist_is = [&](ws_client& ws) {
        std::vector<json> seen;
        const bool got = read_until(ws, seen, [&](const json& m) {
            for (const json& c : m.value("changes", json::array()))
                if (c["op"] == "shortlist" && c["action"] == "updated") return true;
            return false;
        });
        EXPECT_TRUE(got) << "no shortlist change arrived";
        const auto changes = entries(seen, "shortlist");
        if (changes.empty()) return;
        const json& items = changes.back()["items"];
        ASSERT_EQ(items.size(), 2u) << items.dump();
        EXPECT_EQ(id_of(items[0]["question"]), b);
        EXPECT_EQ(id_of(items[1]["question"]), a);
        EXPECT_TRUE(items[1]["answering_now"].get<bool>());
        EXPECT_EQ(items[1]["note"], "Open on Saturdays");
        EXPECT_EQ(changes.back()["actor"], "erin");
    };
    last_shortlist_is(*other_exec);
    last_shortlist_is(*moderator);
    // A subscription that did not ask for the shortlist gets only the positions moving.
    std::vector<json> seen;
    read_until(*without, seen, [](const json&) { return false; }, 1s);
    EXPECT_TRUE(entries(seen, "shortlist").empty());
}

TEST_F(executive_stream_test, a_settings_change_reconnects_the_executives_streams_only) {
    ASSERT_FALSE(create_event("town", false).is_null());
    json first;
    auto executive = open_view("town", exec(), json::object(), first);
    ASSERT_NE(executive, nullptr);
    auto moderator = open_view("town", mod(), json::object(), first);
    ASSERT_NE(moderator, nullptr);
    auto r = call(http::verb::put, "/api/v1/events/town/settings", R"({"executives_see_scores": true})");
    ASSERT_EQ(r.status, 200u) << r;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!executive->ended() && std::chrono::steady_clock::now() < deadline) executive->read_json(200ms);
    EXPECT_TRUE(executive->ended()) << "the executive's stream still sees through the old settings";
    EXPECT_FALSE(moderator->ended());

    // Reconnected, the executive sees scores now.
    const std::int64_t id = id_of(post_text("town", clean_text));
    auto again = open_view("town", exec(), json::object(), first);
    ASSERT_NE(again, nullptr);
    ASSERT_EQ(first["items"].size(), 1u) << first.dump();
    EXPECT_EQ(id_of(first["items"][0]), id);
    EXPECT_TRUE(first["items"][0].contains("scores")) << first.dump();
}

}  // namespace
}  // namespace tribune::test

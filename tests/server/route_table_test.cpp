// The route table (server/http/route_table.hpp): matching, 404 against 405, parameters,
// colons in segments, the most specific pattern winning, and the mistakes it refuses; the
// access rules its routes carry (server/http/access_rules.hpp); and the server's own table.

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/http/request_target.hpp"
#include "server/http/route_table.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using server::access_rule;
using server::match_kind;
using server::route;
using server::route_table;
using verb = http::verb;

route make_route(std::optional<verb> method, std::string pattern, std::string label = {},
                 access_rule access = access_rule::open()) {
    route r;
    r.method = method;
    r.pattern = std::move(pattern);
    r.access = std::move(access);
    r.handler = [](server::request_context&) {};
    r.label = std::move(label);
    return r;
}

std::vector<std::string> segments_of(std::string_view target) {
    auto t = server::request_target::parse(target);
    EXPECT_TRUE(t.has_value()) << target;
    return t ? t->segments : std::vector<std::string>{};
}

// The pattern a target matches with `method`, "405" for a known path with another method,
// "404" for none.
std::string matched(const route_table& t, verb method, std::string_view target) {
    auto m = t.match(method, segments_of(target));
    if (m.kind == match_kind::no_route) return "404";
    if (m.kind == match_kind::wrong_method) return "405";
    return m.found()->pattern;
}

class route_table_test : public ::testing::Test {
  protected:
    void SetUp() override {
        t.add(make_route(verb::get, "/api/v1/events"));
        t.add(make_route(verb::post, "/api/v1/events"));
        t.add(make_route(verb::get, "/api/v1/events/{slug}"));
        t.add(make_route(verb::get, "/api/v1/events/{slug}/questions"));
        t.add(make_route(verb::get, "/api/v1/events/mine"));
        t.add(make_route(verb::post, "/v1alpha1/comments:analyze"));
        t.add(make_route(verb::post, "/perspective/v1alpha1/comments:analyze"));
        t.add(make_route(std::nullopt, "/api/v1/{rest...}", "/api/other"));
        t.add(make_route(verb::get, "/{path...}", "static"));
        ASSERT_TRUE(t.errors().empty()) << t.errors().front();
    }
    route_table t;
};

TEST_F(route_table_test, a_literal_path_and_method_find_their_route) {
    EXPECT_EQ(matched(t, verb::get, "/api/v1/events"), "/api/v1/events");
    EXPECT_EQ(matched(t, verb::post, "/api/v1/events"), "/api/v1/events");
    // Empty segments are dropped and a query is not part of the path.
    EXPECT_EQ(matched(t, verb::get, "//api/v1//events/?limit=2"), "/api/v1/events");
}

TEST_F(route_table_test, a_known_path_with_another_method_is_405_and_lists_the_path_routes) {
    auto m = t.match(verb::delete_, segments_of("/api/v1/events"));
    ASSERT_EQ(m.kind, match_kind::wrong_method);
    ASSERT_EQ(m.routes.size(), 2u);
    EXPECT_EQ(*m.routes[0]->method, verb::get);
    EXPECT_EQ(*m.routes[1]->method, verb::post);
    EXPECT_EQ(m.label("other"), "/api/v1/events");
    EXPECT_EQ(matched(t, verb::put, "/api/v1/events/demo"), "405");
}

TEST_F(route_table_test, a_path_no_pattern_matches_is_404) {
    route_table bare;
    bare.add(make_route(verb::get, "/healthz"));
    EXPECT_EQ(matched(bare, verb::get, "/healthz/more"), "404");
    EXPECT_EQ(matched(bare, verb::get, "/"), "404");
    auto m = bare.match(verb::get, segments_of("/nothing"));
    EXPECT_EQ(m.label("other"), "other");
    EXPECT_EQ(m.found(), nullptr);
}

TEST_F(route_table_test, parameters_take_one_decoded_segment) {
    auto m = t.match(verb::get, segments_of("/api/v1/events/town%20hall/questions"));
    ASSERT_EQ(m.kind, match_kind::found);
    EXPECT_EQ(m.found()->pattern, "/api/v1/events/{slug}/questions");
    EXPECT_EQ(m.params["slug"], "town hall");
}

TEST_F(route_table_test, reading_a_parameter_the_pattern_does_not_declare_throws) {
    auto m = t.match(verb::get, segments_of("/api/v1/events/demo"));
    ASSERT_EQ(m.kind, match_kind::found);
    EXPECT_EQ(m.params["slug"], "demo");
    EXPECT_THROW((void)m.params["slgu"], std::logic_error);
}

TEST_F(route_table_test, a_colon_is_an_ordinary_character_of_a_segment) {
    EXPECT_EQ(matched(t, verb::post, "/v1alpha1/comments:analyze?key=abc"),
              "/v1alpha1/comments:analyze");
    EXPECT_EQ(matched(t, verb::post, "/v1alpha1/comments%3Aanalyze"), "/v1alpha1/comments:analyze");
    EXPECT_EQ(matched(t, verb::post, "/perspective/v1alpha1/comments:analyze"),
              "/perspective/v1alpha1/comments:analyze");
    EXPECT_EQ(matched(t, verb::get, "/v1alpha1/comments:analyze"), "405");
    // Not a prefix match: the whole segment must be equal (without the fallbacks: 404).
    route_table bare;
    bare.add(make_route(verb::post, "/v1alpha1/comments:analyze"));
    EXPECT_EQ(matched(bare, verb::post, "/v1alpha1/comments"), "404");
    EXPECT_EQ(matched(bare, verb::post, "/v1alpha1/comments:analyzeX"), "404");
    EXPECT_EQ(matched(bare, verb::post, "/v1alpha1/comments:analyze"),
              "/v1alpha1/comments:analyze");
}

TEST_F(route_table_test, the_most_specific_pattern_wins) {
    // A literal beats a parameter.
    EXPECT_EQ(matched(t, verb::get, "/api/v1/events/mine"), "/api/v1/events/mine");
    EXPECT_EQ(matched(t, verb::get, "/api/v1/events/yours"), "/api/v1/events/{slug}");
    // A parameter beats a rest parameter; an exact pattern beats one whose rest is empty.
    EXPECT_EQ(matched(t, verb::get, "/api/v1/events/demo/questions"),
              "/api/v1/events/{slug}/questions");
    EXPECT_EQ(matched(t, verb::get, "/api/v1/events"), "/api/v1/events");
    // The longer literal prefix beats the shorter.
    EXPECT_EQ(matched(t, verb::get, "/api/v1/nothing/here"), "/api/v1/{rest...}");
    EXPECT_EQ(matched(t, verb::get, "/api/v2/events"), "/{path...}");
}

TEST_F(route_table_test, a_rest_parameter_takes_zero_or_more_segments_and_any_method) {
    auto m = t.match(verb::patch, segments_of("/api/v1/a/b/c"));
    ASSERT_EQ(m.kind, match_kind::found);
    EXPECT_EQ(m.params["rest"], "a/b/c");
    EXPECT_EQ(m.label("other"), "/api/other");
    auto root = t.match(verb::get, segments_of("/"));
    ASSERT_EQ(root.kind, match_kind::found);
    EXPECT_EQ(root.params["path"], "");
    EXPECT_EQ(root.label("other"), "static");
    EXPECT_EQ(matched(t, verb::post, "/index.html"), "405");
}

TEST(route_table_mistakes, are_refused_with_a_message_and_the_route_left_out) {
    route_table t;
    t.add(make_route(verb::get, "/a/{slug}"));
    const std::vector<std::string> bad = {"a/b",     "/a//b",      "/a/{slug",
                                          "/a/{}",   "/a/{x}/{x}", "/{rest...}/a",
                                          "/a/b{c}", "/a/{id}"};  // last: "/a/{slug}" spelt again
    for (const auto& p : bad) t.add(make_route(verb::get, p));
    t.add(make_route(verb::get, "/a/{slug}"));     // the same method and pattern twice
    t.add(make_route(std::nullopt, "/a/{slug}"));  // every method, over GET
    route no_handler = make_route(verb::post, "/b");
    no_handler.handler = nullptr;
    t.add(std::move(no_handler));
    // An event route the router checks up front must name its event {slug}.
    t.add(make_route(verb::get, "/c/{event}", {},
                     access_rule::roles({role::moderator}, "read c").on_event()));
    // The routes of one pattern speak one dialect and take credentials one way (admission and
    // the router read both before the method is known).
    route google = make_route(verb::post, "/a/{slug}");
    google.speaks = server::dialect::google;
    t.add(std::move(google));
    t.add(make_route(verb::put, "/a/{slug}", {}, access_rule::open().by_api_key()));
    EXPECT_EQ(t.errors().size(), bad.size() + 6) << ::testing::PrintToString(t.errors());
    EXPECT_EQ(t.routes().size(), 1u);
    for (const auto& e : t.errors()) EXPECT_FALSE(e.empty());
}

TEST(access_rule_check, words_refusals_as_docs_api_md_lists_them) {
    const server::client_info remote{"192.0.2.1", false};
    const principal anonymous;
    principal mod{1, "alice", role::moderator, 7, "demo", false, std::nullopt};
    principal exec{2, "erin", role::executive, std::nullopt, "", false, std::nullopt};
    principal admin{3, "root", role::admin, std::nullopt, "", false, std::nullopt};
    const auto decide = access_rule::roles({role::moderator}, "decide on questions")
                            .answer_by({role::executive}, "mark questions answered")
                            .on_event();

    auto s = decide.check("/x/{id}", anonymous, remote, "demo");
    EXPECT_EQ(s.kind(), error_kind::unauthenticated);
    EXPECT_EQ(s.code(), "authentication_required");
    EXPECT_NE(s.message().find("use /x/{id}"), std::string::npos) << s.message();
    EXPECT_TRUE(decide.check("/x", mod, remote, "demo").is_ok());
    EXPECT_EQ(decide.check("/x", mod, remote, "other").code(), "forbidden");  // scope
    EXPECT_EQ(decide.check("/x", mod, remote, "demo", "answer").code(), "forbidden");
    EXPECT_TRUE(decide.check("/x", exec, remote, "demo", "answer").is_ok());
    EXPECT_NE(
        decide.check("/x", exec, remote, "demo", "approve").message().find("decide on questions"),
        std::string::npos);
    EXPECT_TRUE(decide.check("/x", admin, remote, "any", "answer").is_ok());

    EXPECT_TRUE(access_rule::open().check("/x", anonymous, remote).is_ok());
    EXPECT_EQ(access_rule::metrics("loopback").check("/metrics", admin, remote).code(),
              "forbidden");
    EXPECT_TRUE(
        access_rule::metrics("loopback").check("/metrics", anonymous, {"127.0.0.1", true}).is_ok());
    EXPECT_EQ(access_rule::metrics("admin").check("/metrics", anonymous, remote).code(),
              "authentication_required");
    EXPECT_EQ(access_rule::metrics("admin").check("/metrics", mod, remote).code(), "forbidden");
    EXPECT_TRUE(access_rule::metrics("admin").check("/metrics", admin, remote).is_ok());

    // A display: tokens of its roles, or nobody's when the event made it public.
    const auto display = access_rule::roles({role::display}, "read the display")
                             .on_event()
                             .public_if_event_allows();
    EXPECT_TRUE(display.admits_anonymous());
    EXPECT_TRUE(display.handler_checks());
    EXPECT_EQ(display.check("/d", anonymous, remote, "demo", {}, false).code(),
              "authentication_required");
    EXPECT_TRUE(display.check("/d", anonymous, remote, "demo", {}, true).is_ok());
    principal screen{4, "room", role::display, 7, "demo", false, std::nullopt};
    EXPECT_TRUE(display.check("/d", screen, remote, "demo").is_ok());
    EXPECT_EQ(display.check("/d", screen, remote, "other", {}, true).code(), "forbidden");
    EXPECT_EQ(display.check("/d", mod, remote, "demo", {}, true).code(), "forbidden")
        << "a public display lets in the anonymous, not other roles";
    // A display token reads nothing else: not even the events.
    EXPECT_EQ(access_rule::any_token("list events").check("/e", screen, remote).code(), "forbidden");
    EXPECT_TRUE(access_rule::signed_in("who am I").check("/s", screen, remote).is_ok());
    // An analyst key reaches the routes that name its role, and no other: not even those open
    // to any token.
    principal analyst{4, "coral", role::analyst, std::nullopt, "", false, std::nullopt};
    EXPECT_EQ(access_rule::any_token("list events").check("/x", analyst, remote).code(),
              "forbidden");
    const auto perspective =
        access_rule::roles({role::analyst}, "call the Perspective API").by_api_key();
    EXPECT_EQ(perspective.credentials(), server::credential_source::api_key);
    EXPECT_TRUE(perspective.check("/v", analyst, remote).is_ok());
    EXPECT_EQ(perspective.check("/v", mod, remote).code(), "forbidden");
    auto no_key = perspective.check("/v", anonymous, remote);
    EXPECT_EQ(no_key.code(), "authentication_required");
    EXPECT_NE(no_key.message().find("API key"), std::string::npos) << no_key.message();
}

// The server's own table: built without a mistake, one route per method and pattern, and
// every route under /api/v1 but the audience's and signing in needs credentials.
using server_route_table_test = server_test;

TEST_F(server_route_table_test, is_sound_and_protects_everything_but_the_open_endpoints) {
    const route_table& t = app_->routes();
    EXPECT_TRUE(t.errors().empty()) << ::testing::PrintToString(t.errors());
    std::set<std::string> open;
    for (const route* r : t.routes()) {
        ASSERT_TRUE(r->handler) << r->pattern;
        if (r->access.rule_kind() == access_rule::kind::open && r->method)
            open.insert(std::string(http::to_string(*r->method)) + " " + r->pattern);
    }
    const std::set<std::string> expected = {
        "GET /healthz",
        "HEAD /healthz",
        "POST /api/v1/session",
        "GET /api/v1/public/events/{slug}",
        "GET /api/v1/public/events/{slug}/questions",
        "POST /api/v1/public/events/{slug}/questions",
        "POST /api/v1/public/events/{slug}/questions/mine",
        "POST /api/v1/public/questions/{id}/vote",
        "GET /api/v1/openapi.yaml",
        // The Perspective-compatible API: its discovery document and the CORS preflights.
        "GET /$discovery/rest",
        "OPTIONS /v1alpha1/comments:analyze",
        "OPTIONS /v1alpha1/comments:suggestscore",
        "GET /{path...}",
        "HEAD /{path...}",
        "GET /display/{slug}",
        "HEAD /display/{slug}",
        "GET /e/{slug}",
        "HEAD /e/{slug}",
    };
    EXPECT_EQ(open, expected);
    // The room's display admits requests without a token only where its event allows it: the
    // handler decides, and the router refuses a success it did not check.
    std::set<std::string> public_by_event;
    for (const route* r : t.routes())
        if (r->access.rule_kind() == access_rule::kind::tokens && r->access.admits_anonymous()) {
            EXPECT_TRUE(r->access.handler_checks()) << r->pattern;
            public_by_event.insert(r->pattern);
        }
    EXPECT_EQ(public_by_event, (std::set<std::string>{"/api/v1/events/{slug}/display",
                                                      "/api/v1/events/{slug}/display/stream"}));
    auto stream = t.match(verb::get, segments_of("/api/v1/events/demo/stream"));
    ASSERT_EQ(stream.kind, match_kind::found);
    EXPECT_TRUE(stream.found()->upgrade) << "the stream route takes WebSocket upgrades";
}

}  // namespace
}  // namespace tribune::test

// The discovery document Google's client libraries read, and the path prefix: every method it
// lists must resolve, from rootUrl + servicePath + path, to the real endpoint.

#include <string>

#include "tests/server/perspective_support.hpp"

namespace tribune::test {
namespace {

json body_for(const std::string& method) {
    if (method == "analyze") return coral_analyze("Is this thing on?");
    return {{"comment", {{"text", "Is this thing on?"}}},
            {"attributeScores", {{"TOXICITY", {{"summaryScore", {{"value", 0}}}}}}},
            {"clientToken", "disc"}};
}

// Calls every method of the document at rootUrl + servicePath + path, which must name this
// server (http://127.0.0.1:PORT/...). Returns how many were called.
int call_every_method(const server_test& t, const json& doc, std::uint16_t port, const std::string& key) {
    const std::string root = doc["rootUrl"];
    const std::string origin = "http://127.0.0.1:" + std::to_string(port) + "/";
    EXPECT_EQ(root, origin) << doc.dump();
    int called = 0;
    for (const auto& [name, m] : doc["resources"]["comments"]["methods"].items()) {
        EXPECT_EQ(m["httpMethod"], "POST") << name;
        EXPECT_EQ(m["path"], "v1alpha1/comments:" + name) << name;
        EXPECT_TRUE(m["request"].contains("$ref")) << name;
        EXPECT_TRUE(doc["schemas"].contains(m["request"]["$ref"].get<std::string>())) << name;
        EXPECT_TRUE(doc["schemas"].contains(m["response"]["$ref"].get<std::string>())) << name;
        const std::string url = root + doc["servicePath"].get<std::string>() + m["path"].get<std::string>();
        EXPECT_EQ(url.rfind(origin, 0), 0u) << url;
        const std::string target = "/" + url.substr(origin.size()) + "?key=" + url_encode(key) + "&alt=json";
        auto r = http_call(port, http::verb::post, target, body_for(name).dump());
        EXPECT_EQ(r.status, 200u) << name << " at " << target << ": " << r;
        if (name == "suggestscore") {
            EXPECT_EQ(r.body["clientToken"], "disc") << r;
        } else {
            EXPECT_TRUE(r.body["attributeScores"].contains("TOXICITY")) << r;
        }
        ++called;
    }
    (void)t;
    return called;
}

TEST_F(perspective_test, discovery_document_methods_resolve_to_the_real_endpoints) {
    auto r = call_anonymous(http::verb::get, "/$discovery/rest?version=v1alpha1");
    ASSERT_EQ(r.status, 200u) << r;
    const json& doc = r.body;
    EXPECT_EQ(doc["kind"], "discovery#restDescription");
    EXPECT_EQ(doc["discoveryVersion"], "v1");
    EXPECT_EQ(doc["name"], "commentanalyzer");
    EXPECT_EQ(doc["version"], "v1alpha1");
    EXPECT_EQ(doc["protocol"], "rest");
    EXPECT_EQ(doc["servicePath"], "");
    EXPECT_EQ(doc["parameters"]["key"]["location"], "query");
    EXPECT_EQ(call_every_method(*this, doc, port(), analyst_key()), 2);

    // Percent-encoded '$' is the same path; another version is not served.
    EXPECT_EQ(call_anonymous(http::verb::get, "/%24discovery/rest?version=v1alpha1").status, 200u);
    expect_google_error(call_anonymous(http::verb::get, "/$discovery/rest?version=v1"), 404, "NOT_FOUND");
}

TEST_F(perspective_test, discovery_root_url_follows_the_forwarded_headers_of_a_proxy) {
    auto r = call_anonymous(http::verb::get, "/$discovery/rest?version=v1alpha1", "",
                            {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "comments.example.org"}});
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["rootUrl"], "https://comments.example.org/") << r;
    EXPECT_EQ(r.body["baseUrl"], "https://comments.example.org/") << r;
    auto hostile = call_anonymous(http::verb::get, "/$discovery/rest", "",
                                  {{"X-Forwarded-Host", "evil.example/\"path"}});
    EXPECT_EQ(hostile.body["rootUrl"].get<std::string>().find("evil"), std::string::npos) << hostile;
}

class perspective_prefix_test : public perspective_test {
protected:
    void SetUp() override {
        server_test::SetUp();
        auto cfg = default_config();
        cfg.perspective_prefix = "perspective/api";
        ASSERT_NO_FATAL_FAILURE(start_with_model(cfg));
    }
};

TEST_F(perspective_prefix_test, routes_are_served_under_the_prefix_and_at_the_root) {
    const std::string key = analyst_key();
    EXPECT_EQ(perspective("analyze", coral_analyze("hello"), key, "/perspective/api/v1alpha1").status, 200u);
    EXPECT_EQ(perspective("analyze", coral_analyze("hello"), key, "/v1alpha1").status, 200u);
    auto elsewhere = perspective("analyze", coral_analyze("hello"), key, "/other/v1alpha1");
    EXPECT_GE(elsewhere.status, 400u) << "not a Perspective route: " << elsewhere;
    EXPECT_FALSE(elsewhere.body.contains("attributeScores")) << elsewhere;

    auto r = call_anonymous(http::verb::get, "/perspective/api/$discovery/rest?version=v1alpha1");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.body["servicePath"], "perspective/api/") << r;
    EXPECT_EQ(call_every_method(*this, r.body, port(), key), 2);
}

}  // namespace
}  // namespace tribune::test

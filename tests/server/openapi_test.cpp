// docs/openapi.yaml: served as written; every route the server registers is an operation of
// it and the reverse (at the root and under --perspective-prefix); every request example in it
// is accepted by the server.

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/app/app.hpp"
#include "server/http/route_table.hpp"

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

struct example_request {
    std::string method;  // upper case
    std::string path;    // as in the document
    std::string target;  // x-tribune-example-target, else the path
    std::string body;
    int line = 0;
};

std::string read_spec() {
    std::ifstream in(std::string(TRIBUNE_SOURCE_DIR) + "/docs/openapi.yaml", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The operations with a request example, in document order. The document keeps paths at
// two spaces of indent, methods at four, and examples as one-line JSON.
std::vector<example_request> examples(const std::string& spec) {
    static const std::regex path_line(R"(^  (/\S*):\s*$)");
    static const std::regex method_line(R"(^    (get|head|options|post|put|patch|delete):\s*$)");
    static const std::regex target_line(R"(^      x-tribune-example-target:\s*(\S+)\s*$)");
    static const std::regex example_line(R"(^\s+example:\s*(\{.*\})\s*$)");
    std::vector<example_request> out;
    std::istringstream in(spec);
    std::string line, path, method, target;
    bool in_paths = false;
    int n = 0;
    std::smatch m;
    while (std::getline(in, line)) {
        ++n;
        if (line == "paths:") in_paths = true;
        else if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
        if (!in_paths) continue;
        if (std::regex_match(line, m, path_line)) {
            path = m[1];
            method.clear();
        } else if (std::regex_match(line, m, method_line)) {
            method = m[1];
            for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            target.clear();
        } else if (std::regex_match(line, m, target_line)) {
            target = m[1];
        } else if (std::regex_match(line, m, example_line) && !method.empty()) {
            out.push_back({method, path, target.empty() ? path : target, m[1], n});
        }
    }
    return out;
}

// What the document describes: its operations ("GET /api/v1/events", paths as written) and
// the paths it marks x-tribune-served-by (pages the fallback route serves), with that route.
struct documented {
    std::set<std::string> operations;
    std::vector<std::pair<std::string, std::string>> fallback_pages;
};

documented operations(const std::string& spec) {
    static const std::regex path_line(R"(^  (/\S*):\s*$)");
    static const std::regex method_line(R"(^    (get|head|options|post|put|patch|delete):\s*$)");
    static const std::regex served_by(R"(^    x-tribune-served-by:\s*'?([^']+)'?\s*$)");
    documented out;
    std::istringstream in(spec);
    std::string line, path;
    bool in_paths = false;
    std::smatch m;
    while (std::getline(in, line)) {
        if (line == "paths:") in_paths = true;
        else if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
        if (!in_paths) continue;
        if (std::regex_match(line, m, path_line)) {
            path = m[1];
        } else if (std::regex_match(line, m, served_by)) {
            out.fallback_pages.emplace_back(path, m[1]);
        } else if (std::regex_match(line, m, method_line)) {
            std::string method = m[1];
            for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out.operations.insert(method + " " + path);
        }
    }
    return out;
}

// The two fallbacks: no endpoint under /api/v1, and the dashboard's files.
bool is_fallback(const std::string& pattern) {
    return pattern == "/api/v1/{rest...}" || pattern == "/{path...}";
}

// "GET /api/v1/events" for every route but the fallbacks, in the table's order.
std::vector<std::string> served_operations(const server::route_table& table) {
    std::vector<std::string> out;
    for (const server::route* r : table.routes()) {
        if (is_fallback(r->pattern)) continue;
        EXPECT_TRUE(r->method.has_value()) << r->pattern << " answers every method";
        if (r->method) out.push_back(std::string(http::to_string(*r->method)) + " " + r->pattern);
    }
    return out;
}

std::string joined(const std::set<std::string>& s) {
    std::string out;
    for (const std::string& x : s) out += "\n  " + x;
    return out;
}

class openapi_test : public server_test {};

TEST_F(openapi_test, every_route_is_documented_and_every_documented_operation_is_served) {
    const documented doc = operations(read_spec());
    ASSERT_GE(doc.operations.size(), 30u) << "the document's operations were not found";
    const auto served_list = served_operations(app_->routes());
    const std::set<std::string> served(served_list.begin(), served_list.end());
    EXPECT_EQ(served.size(), served_list.size()) << "a route registered twice";
    std::set<std::string> undocumented, unserved;
    for (const std::string& op : served)
        if (!doc.operations.count(op)) undocumented.insert(op);
    std::set<std::string> pages;
    for (const auto& [path, route] : doc.fallback_pages) {
        EXPECT_TRUE(is_fallback(route)) << path << " is served by " << route;
        pages.insert("GET " + path);
    }
    for (const std::string& op : doc.operations)
        if (!served.count(op) && !pages.count(op)) unserved.insert(op);
    EXPECT_TRUE(undocumented.empty()) << "routes missing from docs/openapi.yaml:" << joined(undocumented);
    EXPECT_TRUE(unserved.empty()) << "operations of docs/openapi.yaml no route serves:" << joined(unserved);
    // The pages the fallback serves are there.
    for (const auto& [path, route] : doc.fallback_pages) {
        auto r = call_anonymous(http::verb::get, path);
        EXPECT_EQ(r.status, 200u) << path << ": " << r;
    }
}

// Under --perspective-prefix the Perspective routes are served twice, at the root and under
// the prefix, and nothing else changes; a prefix of nothing but slashes is no prefix.
TEST_F(openapi_test, the_perspective_prefix_adds_only_the_perspective_routes_under_it) {
    const documented doc = operations(read_spec());
    const auto at_root = served_operations(app_->routes());
    restart_with([](server::config& c) { c.perspective_prefix = "/tools/perspective/"; });
    std::set<std::string> prefixed;
    for (const server::route* r : app_->routes().routes()) {
        if (!r->method || is_fallback(r->pattern)) continue;
        const std::string method(http::to_string(*r->method));
        if (doc.operations.count(method + " " + r->pattern)) continue;
        const std::string prefix = "/tools/perspective";
        ASSERT_EQ(r->pattern.rfind(prefix + "/", 0), 0u) << "not documented: " << r->pattern;
        const std::string root = r->pattern.substr(prefix.size());
        EXPECT_TRUE(doc.operations.count(method + " " + root)) << r->pattern;
        EXPECT_EQ(r->speaks, server::dialect::google) << r->pattern;
        EXPECT_EQ(r->metrics_label(), root) << "counted with the root's requests";
        prefixed.insert(method + " " + root);
    }
    const std::set<std::string> perspective = {
        "POST /v1alpha1/comments:analyze", "OPTIONS /v1alpha1/comments:analyze",
        "POST /v1alpha1/comments:suggestscore", "OPTIONS /v1alpha1/comments:suggestscore",
        "GET /$discovery/rest"};
    EXPECT_EQ(prefixed, perspective);
    EXPECT_EQ(served_operations(app_->routes()).size(), at_root.size() + perspective.size());

    restart_with([](server::config& c) { c.perspective_prefix = "//"; });
    EXPECT_EQ(served_operations(app_->routes()), at_root) << "an empty prefix adds nothing";
}

TEST_F(openapi_test, the_server_serves_the_document_as_written) {
    auto r = call_anonymous(http::verb::get, "/api/v1/openapi.yaml");
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_EQ(r.header("content-type").rfind("application/yaml", 0), 0u);
    EXPECT_EQ(r.raw, read_spec()) << "rebuild after editing docs/openapi.yaml";
    EXPECT_EQ(r.raw.rfind("openapi: 3.1.0", 0), 0u);
}

TEST_F(openapi_test, every_request_example_is_accepted) {
    // Questions 1-4 of the demo event, approved (the examples decide, shortlist and vote on them).
    for (int i = 1; i <= 4; ++i) post_text("demo", "Fixture question number " + std::to_string(i) + "?");
    const std::string spec = read_spec();
    const auto all = examples(spec);
    ASSERT_GE(all.size(), 15u) << "the document's examples were not found";
    for (const example_request& e : all) {
        SCOPED_TRACE(e.method + " " + e.path + " (docs/openapi.yaml line " + std::to_string(e.line) + ")");
        std::string body = e.body;
        for (std::size_t at; (at = body.find("trb_EXAMPLE")) != std::string::npos;)
            body.replace(at, 11, admin_token());
        ASSERT_FALSE(json::parse(body, nullptr, false).is_discarded()) << "not JSON: " << e.body;
        ASSERT_EQ(e.target.find('{'), std::string::npos) << "needs x-tribune-example-target";
        const auto verb = http::string_to_verb(e.method);
        auto r = call(verb, e.target, body);
        EXPECT_GE(r.status, 200u) << r;
        EXPECT_LT(r.status, 300u) << r;
    }
}

}  // namespace
}  // namespace tribune::test

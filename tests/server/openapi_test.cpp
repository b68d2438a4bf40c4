// docs/openapi.yaml: served as written, and every request example in it is accepted by the
// server. (That every route the server registers appears in it, and the reverse, is checked
// against the route table once the server has one.)

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

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
    static const std::regex method_line(R"(^    (get|post|put|patch|delete):\s*$)");
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

class openapi_test : public server_test {};

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

TEST_F(openapi_test, the_perspective_routes_in_the_document_are_the_served_ones) {
    const std::string spec = read_spec();
    for (const char* p : {"/v1alpha1/comments:analyze:", "/v1alpha1/comments:suggestscore:", "/$discovery/rest:",
                          "/api/v1/webhooks:", "/api/v1/webhooks/{id}:", "/api/v1/webhooks/{id}/deliveries:",
                          "/api/v1/perspective/suggestions:", "/api/v1/openapi.yaml:"})
        EXPECT_NE(spec.find("\n  " + std::string(p) + "\n"), std::string::npos) << p;
}

}  // namespace
}  // namespace tribune::test

#include "tests/server/perspective_support.hpp"

#include "core/classify/linear_classifier.hpp"

namespace tribune::test {

void perspective_test::SetUp() {
    server_test::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NO_FATAL_FAILURE(start_with_model());
}

void perspective_test::start_with_model(std::optional<server::config> cfg) {
    auto model = linear_classifier::load(std::string(TRIBUNE_SOURCE_DIR) + "/models/toxicity.tlm");
    ASSERT_TRUE(model.is_ok()) << model.error().message();
    ASSERT_NO_FATAL_FAILURE(start(cfg.value_or(default_config()), std::move(model).value()));
}

http_response perspective_test::perspective(std::string_view method, const json& body,
                                            std::string_view key, std::string_view base) const {
    std::string target = std::string(base) + "/comments:" + std::string(method);
    if (!key.empty()) target += "?key=" + url_encode(key);
    return call_anonymous(http::verb::post, target, body.dump());
}

void expect_google_error(const http_response& r, unsigned status, std::string_view google_status,
                         std::string_view message_part) {
    EXPECT_EQ(r.status, status) << r;
    ASSERT_TRUE(r.body.is_object() && r.body.contains("error")) << r;
    const json& e = r.body["error"];
    EXPECT_EQ(e.value("code", 0u), status) << r;
    EXPECT_EQ(e.value("status", ""), google_status) << r;
    ASSERT_TRUE(e.contains("message") && e["message"].is_string()) << r;
    EXPECT_FALSE(e["message"].get<std::string>().empty()) << r;
    if (!message_part.empty()) {
        EXPECT_NE(e["message"].get<std::string>().find(message_part), std::string::npos) << r;
    }
}

json coral_analyze(std::string_view text, bool do_not_store) {
    return {{"comment", {{"text", text}}},
            {"doNotStore", do_not_store},
            {"requestedAttributes", {{"TOXICITY", json::object()}}},
            {"languages", {"en"}}};
}

}  // namespace tribune::test

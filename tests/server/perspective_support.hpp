#pragma once
// perspective_support: a server_test fixture for the Perspective-compatible API — Tribune's
// trained model (models/toxicity.tlm), an analyst key — and helpers that send requests the
// way Perspective clients do (base URL + "/comments:analyze?key=KEY").
//
// Thread safety: one test thread drives the fixture.

#include <optional>
#include <string>
#include <string_view>

#include "tests/server/test_server.hpp"

namespace tribune::test {

class perspective_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }
    void SetUp() override;
    // Starts with the trained model and `cfg` (default_config() when empty).
    void start_with_model(std::optional<server::config> cfg = std::nullopt);

    // POST base + "/comments:<method>?key=<key>" with a JSON body and no other credentials.
    http_response perspective(std::string_view method, const json& body,
                              std::string_view key, std::string_view base = "/v1alpha1") const;
    // A key of role analyst (made on first use).
    std::string analyst_key() { return token_for("analyst", "coral"); }
};

// Checks Google's error shape: {"error": {"code": status, "message", "status": google_status}}.
void expect_google_error(const http_response& r, unsigned status, std::string_view google_status,
                         std::string_view message_part = "");

// A Perspective AnalyzeComment request as Coral Talk sends it.
json coral_analyze(std::string_view text, bool do_not_store = true);

}  // namespace tribune::test

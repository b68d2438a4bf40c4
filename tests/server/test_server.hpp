#pragma once
// server_test: a GoogleTest fixture that runs the real Tribune server in-process on an
// ephemeral port, with a fresh SQLite database in a temporary directory, the placeholder
// word-list classifier, and web/ and migrations/ from the source tree. Helpers wrap the
// HTTP and WebSocket clients of test_clients.hpp and assert the common expectations.
//
// Helpers that return a value report failures with ADD_FAILURE (non-fatal) and return an
// empty value; check `HasFailure()` or the value before relying on it.
//
// Thread safety: one test thread drives the fixture. call()/get()/post() may also be used
// from helper threads while the server runs (they only read port_).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/classify/classifier.hpp"
#include "core/service/question_signal.hpp"
#include "server/app/app.hpp"
#include "server/app/config.hpp"
#include "tests/server/test_clients.hpp"

namespace tribune::test {

// Texts and their verdicts under the placeholder classifier and the default thresholds
// (core/placeholder_classifier.cpp, core/triage_policy.cpp).
inline constexpr std::string_view clean_text = "What is the bank doing about fees?";
// insult 0.80 >= review 0.50, below reject 0.95 -> pending
inline constexpr std::string_view review_text = "Why is the minister such an idiot?";
// threat 0.95 >= reject 0.90 -> auto_rejected
inline constexpr std::string_view reject_text = "I will kill the minister";

// A per-change stream whose first message, the snapshot, has been read.
struct live_stream {
    std::unique_ptr<ws_client> ws;
    json snapshot;  // null when opening or reading failed

    explicit operator bool() const { return ws != nullptr && !snapshot.is_null(); }
    ws_client& operator*() const { return *ws; }
    ws_client* operator->() const { return ws.get(); }
};

class server_test : public ::testing::Test {
protected:
    void SetUp() override;     // temp dir, then start(default_config(), placeholder)
    void TearDown() override;  // stop(), then remove the temp dir

    // Fixtures that start the server themselves (other config or classifier) override
    // this to return false.
    virtual bool start_in_setup() const { return true; }

    // Ephemeral port, database in the temp dir, quiet, web/ and migrations/ from the tree.
    server::config default_config() const;
    // Creates and starts the app; a failure is fatal for the test.
    void start(server::config cfg, std::unique_ptr<classifier> model,
               std::unique_ptr<question_signal> signal = nullptr);
    void start_default();
    // start() with default_config() changed by `change`, and the placeholder classifier.
    void start_with(const std::function<void(server::config&)>& change);
    // Stops the running server and starts it again on the same database, as start_with().
    void restart_with(const std::function<void(server::config&)>& change);
    // Graceful stop; the database stays in the temp dir for a restart.
    void stop();

    std::uint16_t port() const { return port_; }
    const std::filesystem::path& temp_dir() const { return dir_; }
    const server::config& current_config() const { return cfg_; }

    // --- Access ------------------------------------------------------------------------
    // Every request of call()/get()/post() and open_stream() carries the admin token made at
    // the first start, unless `headers` already has an Authorization or Cookie header.
    const std::string& admin_token() const { return admin_token_; }
    // A token for `role` named `name`, made on first use (for all events unless `event`).
    std::string token_for(std::string_view role, std::string_view name, std::string_view event = "");
    static header_list bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }

    // --- HTTP --------------------------------------------------------------------------
    http_response call(http::verb method, std::string_view target, std::string body = {},
                       const header_list& headers = {}) const;
    // Without any credentials (the audience, or an attacker).
    http_response call_anonymous(http::verb method, std::string_view target,
                                 std::string body = {}, const header_list& headers = {}) const;
    http_response get(std::string_view target) const;
    http_response post(std::string_view target, const json& body) const;

    // POST /api/v1/events; expects 201 and returns the event.
    json create_event(std::string_view slug, bool premoderate, std::string_view title = "");
    // POST a question; expects `expected_status` (201 by default) and returns the body.
    json post_question(std::string_view slug, const json& body, unsigned expected_status = 201);
    json post_text(std::string_view slug, std::string_view text);
    // POST /api/v1/questions/{id}/decision; expects 200 and returns the question.
    json decide(std::int64_t id, std::string_view action, std::string_view moderator = "mod",
                std::string_view reason = "");
    // GET /api/v1/questions/{id}; expects 200.
    json get_question(std::int64_t id);
    // Follows next_cursor until it is null; `query` is appended after '?', e.g. "limit=2".
    std::vector<json> list_all(std::string_view slug, std::string_view query = "");

    // --- WebSocket ---------------------------------------------------------------------
    // Opens /api/v1/events/{slug}/stream[?query]; fails the test and returns nullptr on error.
    std::unique_ptr<ws_client> open_stream(std::string_view slug, std::string_view query = "",
                                           const header_list& headers = {});
    // Reads one message and checks it is a snapshot of `slug`; empty json on failure.
    json read_snapshot(ws_client& ws, std::string_view slug);
    // open_stream(), then read_snapshot(): a per-change stream with its snapshot read. On
    // failure the test has failed and the result is false.
    live_stream open_snapshot(std::string_view slug, std::string_view query = "",
                              const header_list& headers = {});
    // Reads one message and checks it is a question change; empty json on failure.
    json read_change(ws_client& ws);
    // Reads exactly `n` change messages. A post is answered 201 before its change is
    // broadcast, so a test that posts and then needs every change numbered (before it opens
    // another stream, or expects silence) reads them from a stream it opened earlier.
    std::vector<json> read_changes(ws_client& ws, std::size_t n);
    // Expects no message within `quiet`.
    void expect_silence(ws_client& ws, std::chrono::milliseconds quiet =
                                           std::chrono::milliseconds(400));

    std::unique_ptr<server::app> app_;

private:
    std::filesystem::path dir_;
    server::config cfg_;
    std::uint16_t port_ = 0;
    std::string admin_token_;
    std::map<std::string, std::string> tokens_;  // "role/name/event" -> token
};

// Checks that `q` is a complete question object as docs/api.md describes it.
void expect_question_shape(const json& q);
// Checks an error response: status, JSON body {"error": {"code", "message"}}.
void expect_error(const http_response& r, unsigned status, std::string_view code);
// True when `s` looks like 2026-11-28T05:30:00.123Z.
bool is_iso_ms_utc(const json& s);
// The question's id, or 0 when it has none.
std::int64_t id_of(const json& q);

}  // namespace tribune::test

// Nothing lost (issue 5): a 201 means committed. The real `tribune` binary is killed with
// SIGKILL in the middle of a burst of concurrent posts and restarted on the same database:
// every question that was answered 201 is there with its text, and the database passes
// PRAGMA integrity_check. SIGTERM, by contrast, drains and exits 0.

#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/core/temp_dir.hpp"
#include "tests/server/db_check.hpp"
#include "tests/server/test_clients.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

struct acknowledged {
    std::int64_t id;
    std::string text;
};

// Posts from `threads` threads, each on fresh connections, until `stop`; records every 201.
class post_burst {
public:
    post_burst(std::uint16_t port, const std::string& token, int threads)
        : auth_(header_list{{"Authorization", "Bearer " + token}}) {
        for (int t = 0; t < threads; ++t)
            threads_.emplace_back([this, port, t] { run(port, t); });
    }
    ~post_burst() { finish(); }

    void finish() {
        stop_ = true;
        for (auto& th : threads_)
            if (th.joinable()) th.join();
    }
    std::size_t acknowledged_count() const { return count_.load(); }
    // Waits until `n` posts were acknowledged or `limit` passed; the count then.
    std::size_t wait_for(std::size_t n, std::chrono::seconds limit) const {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (acknowledged_count() < n && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(5ms);
        return acknowledged_count();
    }
    std::vector<acknowledged> acknowledged_posts() {
        std::lock_guard lock(mutex_);
        return acked_;
    }

private:
    void run(std::uint16_t port, int t) {
        for (int i = 0; !stop_; ++i) {
            const std::string text =
                "Crash burst question " + std::to_string(t) + "-" + std::to_string(i) + "?";
            auto r = http_call(port, http::verb::post, "/api/v1/events/demo/questions",
                               json{{"text", text}}.dump(), auth_, 5s);
            if (r.error) {
                // The server is gone: the answer never came, so nothing was promised.
                if (stop_) return;
                std::this_thread::sleep_for(10ms);
                continue;
            }
            if (r.status == 201 && r.body.is_object() && r.body.contains("id")) {
                std::lock_guard lock(mutex_);
                acked_.push_back({r.body["id"].get<std::int64_t>(), text});
                ++count_;
            }
        }
    }

    const header_list auth_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> count_{0};
    std::mutex mutex_;
    std::vector<acknowledged> acked_;  // GUARDED_BY(mutex_)
    std::vector<std::thread> threads_;
};

// Each test runs `tribune serve` as its own process on a fresh database.
class crash_test : public ::testing::Test {
protected:
    // Starts the server on `db`; a failure (or a first start without an admin token) fails
    // the test and returns nullptr.
    std::unique_ptr<tribune_process> serve() {
        std::string error;
        auto server = tribune_process::serve(db, {}, &error);
        EXPECT_NE(server, nullptr) << error;
        if (server == nullptr) return nullptr;
        EXPECT_FALSE(server->admin_token().empty()) << server->output();
        return server->admin_token().empty() ? nullptr : std::move(server);
    }

    testing::temp_dir dir;
    const std::string db = dir.file("tribune.db");
};

TEST_F(crash_test, sigkill_during_a_burst_loses_no_acknowledged_question) {
    auto server = serve();
    ASSERT_NE(server, nullptr);
    post_burst burst(server->port(), server->admin_token(), 8);
    // Kill only once a good number of posts have been acknowledged, so some commits are
    // surely in progress when the kill lands.
    ASSERT_GE(burst.wait_for(200, 60s), 200u) << "the burst made too little progress";
    server->signal(SIGKILL);
    auto code = server->wait(30s);
    burst.finish();
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 128 + SIGKILL);
    const auto acked = burst.acknowledged_posts();

    std::string error;
    auto restarted = tribune_process::serve(db, {}, &error);
    ASSERT_NE(restarted, nullptr) << error;
    std::size_t missing = 0;
    for (const auto& a : acked) {
        auto r = http_call(restarted->port(), http::verb::get,
                           "/api/v1/questions/" + std::to_string(a.id), {},
                           {{"Authorization", "Bearer " + server->admin_token()}});
        if (r.status != 200 || r.body.value("text", "") != a.text) {
            ++missing;
            ADD_FAILURE() << "question " << a.id << " (" << a.text << ") answered 201 but after "
                          << "the restart: " << r;
            if (missing > 10) break;
        }
    }
    EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged questions";
    restarted->signal(SIGTERM);
    auto stopped = restarted->wait(60s);
    ASSERT_TRUE(stopped.has_value());
    EXPECT_EQ(*stopped, 0);

    EXPECT_EQ(integrity_check(db), "ok");
    EXPECT_GE(question_count(db), static_cast<std::int64_t>(acked.size()));
}

TEST_F(crash_test, sigterm_answers_the_posts_in_flight_and_exits_zero) {
    auto server = serve();
    ASSERT_NE(server, nullptr);
    post_burst burst(server->port(), server->admin_token(), 4);
    burst.wait_for(50, 60s);
    server->signal(SIGTERM);
    auto code = server->wait(60s);
    burst.finish();
    ASSERT_TRUE(code.has_value()) << "tribune did not exit after SIGTERM";
    EXPECT_EQ(*code, 0) << server->output();
    EXPECT_NE(server->output().find("tribune: stopped"), std::string::npos) << server->output();

    const auto acked = burst.acknowledged_posts();
    ASSERT_FALSE(acked.empty());
    EXPECT_EQ(integrity_check(db), "ok");
    EXPECT_GE(question_count(db), static_cast<std::int64_t>(acked.size()));
}

}  // namespace
}  // namespace tribune::test

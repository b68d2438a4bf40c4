// Online backup (issue 5): `tribune backup --to FILE` copies the database consistently while
// the server ingests. The copy passes PRAGMA integrity_check and holds at least every
// question committed before the backup began.

#include <atomic>
#include <thread>
#include <vector>

#include "core/sqlite/sqlite_backup.hpp"
#include "tests/server/db_check.hpp"
#include "tests/server/test_server.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

class backup_test : public server_test {
protected:
    // Posts from a few threads until stop(); counts the 201s.
    void start_ingest(int threads) {
        for (int t = 0; t < threads; ++t)
            ingest_.emplace_back([this, t] {
                for (int i = 0; !stop_; ++i) {
                    auto r = call(http::verb::post, "/api/v1/events/demo/questions",
                                  json{{"text", "Backup ingest " + std::to_string(t) + "-" +
                                                    std::to_string(i) + "?"}}
                                      .dump());
                    if (r.status == 201) ++committed_;
                }
            });
    }
    void stop_ingest() {
        stop_ = true;
        for (auto& th : ingest_) th.join();
        ingest_.clear();
    }
    void wait_for_commits(std::size_t n) {
        for (int i = 0; i < 3000 && committed_.load() < n; ++i) std::this_thread::sleep_for(10ms);
        ASSERT_GE(committed_.load(), n) << "ingest made too little progress";
    }
    void TearDown() override {
        if (!ingest_.empty()) stop_ingest();
        server_test::TearDown();
    }

    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> committed_{0};
    std::vector<std::thread> ingest_;
};

TEST_F(backup_test, a_backup_during_ingest_is_consistent_and_complete) {
    start_ingest(4);
    ASSERT_NO_FATAL_FAILURE(wait_for_commits(100));
    const std::size_t before = committed_.load();
    const std::string to = (temp_dir() / "backup.db").string();
    auto done = backup_database(current_config().db_path, to);
    ASSERT_TRUE(done.is_ok()) << done.error().message();
    EXPECT_GT(done->pages, 0);
    // Ingest went on during and after the backup.
    ASSERT_NO_FATAL_FAILURE(wait_for_commits(before + 50));
    stop_ingest();

    EXPECT_FALSE(std::filesystem::exists(to + ".partial"));
    EXPECT_EQ(integrity_check(to), "ok");
    EXPECT_GE(question_count(to), static_cast<std::int64_t>(before));
    EXPECT_LE(question_count(to), question_count(current_config().db_path));
}

TEST_F(backup_test, tribune_backup_command_copies_the_running_servers_database) {
    start_ingest(2);
    ASSERT_NO_FATAL_FAILURE(wait_for_commits(50));
    const std::size_t before = committed_.load();
    const std::string to = (temp_dir() / "cli-backup.db").string();
    std::string out;
    int code = run_tribune({"backup", "--db", current_config().db_path, "--to", to}, &out);
    stop_ingest();
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("backed up"), std::string::npos) << out;
    EXPECT_EQ(integrity_check(to), "ok");
    EXPECT_GE(question_count(to), static_cast<std::int64_t>(before));

    // The backup opens as a Tribune database: the server starts on it and serves its data.
    ASSERT_NO_FATAL_FAILURE(restart_with([&](server::config& c) { c.db_path = to; }));
    EXPECT_GE(list_all("demo", "limit=500").size(), before);

    // An existing target is never overwritten.
    std::string again;
    EXPECT_EQ(run_tribune({"backup", "--db", current_config().db_path, "--to", to}, &again), 1)
        << again;
    EXPECT_NE(again.find("exists"), std::string::npos) << again;
}

}  // namespace
}  // namespace tribune::test

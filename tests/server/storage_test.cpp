// Storage failures (issue 5): a full disk or a read-only database answers 503 with a clear
// error (`storage_full`, `storage_read_only`) and Retry-After, never crashes the server,
// and ingest recovers as soon as writes succeed again. The failures are injected below
// SQLite by a wrapping VFS (faulty_vfs.hpp) that returns the error SQLite itself reports
// for ENOSPC or a read-only file.

#include <sqlite3.h>

#include "tests/server/db_check.hpp"
#include "tests/server/faulty_vfs.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class storage_test : public server_test {
protected:
    void SetUp() override {
        faulty_vfs::install();
        faulty_vfs::fail_writes(SQLITE_OK);
        server_test::SetUp();
    }
    void TearDown() override {
        faulty_vfs::fail_writes(SQLITE_OK);
        server_test::TearDown();
    }

    // Posts, decides and reads while writes fail with `error`, expecting 503 `code`; then
    // lets writes pass again and expects ingest to work.
    void fail_then_recover(int error, const std::string& code) {
        auto before = post_text("demo", "Stored before the failure?");
        ASSERT_GT(id_of(before), 0);

        faulty_vfs::fail_writes(error);
        for (int i = 0; i < 3; ++i) {
            auto r = post("/api/v1/events/demo/questions",
                          json{{"text", "Stored while failing " + std::to_string(i) + "?"}});
            expect_error(r, 503, code);
            EXPECT_FALSE(r.header("retry-after").empty()) << r;
        }
        // A decision that changes the status must write.
        auto d = post("/api/v1/questions/" + std::to_string(id_of(before)) + "/decision",
                      json{{"action", "reject"}, {"moderator", "mod"}});
        expect_error(d, 503, code);
        // Reads still work, and the server is alive.
        EXPECT_EQ(get("/healthz").status, 200u);
        EXPECT_EQ(get_question(id_of(before))["text"], "Stored before the failure?");

        faulty_vfs::fail_writes(SQLITE_OK);
        auto after = post_text("demo", "Stored after recovery?");
        ASSERT_GT(id_of(after), 0);
        EXPECT_EQ(decide(id_of(before), "reject").value("status", ""), "rejected");

        const std::string db = current_config().db_path;
        stop();
        EXPECT_EQ(integrity_check(db), "ok");
        // Nothing that failed was stored: the two successful posts only.
        EXPECT_EQ(question_count(db), 2);
    }
};

TEST_F(storage_test, a_full_disk_answers_503_storage_full_and_ingest_recovers) {
    fail_then_recover(SQLITE_FULL, "storage_full");
}

TEST_F(storage_test, a_read_only_database_answers_503_storage_read_only_and_ingest_recovers) {
    fail_then_recover(SQLITE_READONLY, "storage_read_only");
}

}  // namespace
}  // namespace tribune::test

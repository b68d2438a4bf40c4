// wal_buffer_vfs: a writer's WAL frames gathered into one write per transaction, and in the
// file before another connection can see the transaction.
#include "core/sqlite/wal_buffer_vfs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/sqlite/sqlite_connection.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

std::int64_t count_rows(sqlite_connection& db) {
    auto st = db.prepare("SELECT count(*) FROM t");
    if (!st.is_ok()) return -1;
    if (st->step() != SQLITE_ROW) return -2;
    return st->column_int(0);
}

std::string insert_rows(int rows, int bytes) {
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
           std::to_string(rows) + ") INSERT INTO t SELECT randomblob(" + std::to_string(bytes) +
           ") FROM n;";
}

std::string single_text(sqlite_connection& db, const char* sql) {
    auto st = db.prepare(sql);
    if (!st.is_ok() || st->step() != SQLITE_ROW) return "(no row)";
    return st->column_text(0);
}

// A writer connection (through wal_buffer_vfs) on t.db, committing as the group commit does
// (synchronous=NORMAL), with a table t of blobs.
class wal_buffer_vfs_test : public ::testing::Test {
protected:
    void SetUp() override {
        auto w = sqlite_connection::open(path(), false);
        ASSERT_TRUE(w.is_ok());
        writer_ = std::make_unique<sqlite_connection>(std::move(*w));
        ASSERT_TRUE(writer_->exec("PRAGMA synchronous=NORMAL; CREATE TABLE t (b BLOB)").is_ok());
    }
    std::string path() const { return dir_.file("t.db"); }

    temp_dir dir_;
    std::unique_ptr<sqlite_connection> writer_;
};

// Each commit is seen at once by a reader on its own connection (the default VFS, its own
// file descriptor): its frames were in the WAL file before the wal-index published them.
TEST_F(wal_buffer_vfs_test, a_reader_sees_every_commit_as_soon_as_it_returns) {
    auto reader = sqlite_connection::open(path(), true);
    ASSERT_TRUE(reader.is_ok());
    for (int i = 1; i <= 60; ++i) {
        // 1 to 60 pages per transaction, the largest past the buffer's 124 KiB.
        ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(i, 3000) + " COMMIT;").is_ok()) << i;
        ASSERT_EQ(count_rows(*reader), i * (i + 1) / 2) << "after commit " << i;
        // Nothing was left to write.
        const status flushed = wal_buffer_vfs::flush(writer_->get());
        ASSERT_TRUE(flushed.is_ok()) << flushed.message();
    }
}

// What the buffer is for: a transaction's frames (a 24-byte header and a page each, two writes
// a frame without it) reach the file in a few writes.
TEST_F(wal_buffer_vfs_test, a_transaction_of_fifty_pages_reaches_the_wal_in_a_few_writes) {
    const auto before = wal_buffer_vfs::totals();
    ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(50, 3000) + " COMMIT;").is_ok());
    const auto after = wal_buffer_vfs::totals();
    EXPECT_GE(after.gathered - before.gathered, 100u);  // 50 pages or more, two writes each
    EXPECT_LE(after.written - before.written, 3u);      // about 210 KB, 124 KiB a write
}

// A crash right after COMMIT returns: the database and WAL files as they are then, copied
// while the writer is still open, hold every committed row for a connection of the default VFS.
TEST_F(wal_buffer_vfs_test, the_files_hold_every_commit_once_it_returns) {
    for (int i = 0; i < 7; ++i)
        ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(13, 2000) + " COMMIT;").is_ok());
    namespace fs = std::filesystem;
    fs::copy_file(path(), dir_.file("copy.db"));
    fs::copy_file(path() + "-wal", dir_.file("copy.db-wal"));
    auto copy = sqlite_connection::open(dir_.file("copy.db"), true);
    ASSERT_TRUE(copy.is_ok());
    EXPECT_EQ(count_rows(*copy), 91);
}

// A transaction larger than the page cache spills frames into the WAL before its COMMIT; rolled
// back, those frames are overwritten by the next transaction (a write that does not continue
// the buffered run). Checkpointed afterwards, the database is whole.
TEST_F(wal_buffer_vfs_test, a_spilled_transaction_rolled_back_leaves_a_whole_database) {
    ASSERT_TRUE(writer_->exec("PRAGMA cache_size=20").is_ok());
    auto reader = sqlite_connection::open(path(), true);
    ASSERT_TRUE(reader.is_ok());
    ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(10, 3000) + " COMMIT;").is_ok());
    ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(300, 3000) + " ROLLBACK;").is_ok());
    ASSERT_TRUE(writer_->exec("BEGIN; " + insert_rows(5, 3000) + " COMMIT;").is_ok());
    EXPECT_EQ(count_rows(*reader), 15);
    ASSERT_TRUE(writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)").is_ok());
    EXPECT_EQ(count_rows(*reader), 15);
    EXPECT_EQ(single_text(*writer_, "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace tribune

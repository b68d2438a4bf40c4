// sqlite_connection: the pragmas a writer connection is opened with.
#include "core/sqlite/sqlite_connection.hpp"

#include <gtest/gtest.h>

#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

// The group commit's thread must not stop for a checkpoint (three fsyncs) every 1,000 WAL
// pages, SQLite's default: the writer's commits leave the WAL growing well past that.
TEST(sqlite_connection, a_writer_does_not_checkpoint_every_thousand_wal_pages) {
    temp_dir dir;
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db.is_ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t (b BLOB)").is_ok());
    // 25 commits of about 100 pages each: 2,500 WAL frames, past SQLite's 1,000.
    for (int i = 0; i < 25; ++i)
        ASSERT_TRUE(db->exec("BEGIN; WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                             "WHERE x < 100) INSERT INTO t SELECT randomblob(3500) FROM n; COMMIT;")
                        .is_ok());
    // wal_checkpoint answers (busy, frames in the WAL, frames checkpointed): had a checkpoint
    // run after 1,000 pages, the WAL would have started again from its beginning.
    auto st = db->prepare("PRAGMA wal_checkpoint(PASSIVE)");
    ASSERT_TRUE(st.is_ok());
    ASSERT_EQ(st->step(), SQLITE_ROW);
    EXPECT_GE(st->column_int(1), 2500);
}

}  // namespace
}  // namespace tribune

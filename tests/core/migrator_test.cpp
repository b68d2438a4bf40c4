#include "core/sqlite/migrator.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

int user_version(sqlite_connection& db) {
    auto st = db.prepare("PRAGMA user_version");
    EXPECT_TRUE(st.is_ok());
    EXPECT_EQ(st->step(), SQLITE_ROW);
    return static_cast<int>(st->column_int(0));
}

bool table_exists(sqlite_connection& db, const std::string& name) {
    auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    st->bind(1, std::string_view(name));
    return st->step() == SQLITE_ROW;
}

TEST(migrator, fresh_database_gets_every_shipped_migration) {
    temp_dir dir;
    auto files = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    ASSERT_TRUE(files.is_ok()) << files.error().message();
    ASSERT_FALSE(files->empty());
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db.is_ok());
    auto r = migrator::apply(*db, *files);
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_EQ(r->from_version, 0);
    EXPECT_EQ(r->to_version, files->back().number);
    EXPECT_EQ(user_version(*db), files->back().number);
    EXPECT_TRUE(table_exists(*db, "questions"));
    EXPECT_TRUE(table_exists(*db, "decisions"));
}

TEST(migrator, rerun_is_a_no_op) {
    temp_dir dir;
    auto files = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(migrator::apply(*db, *files).is_ok());
    auto again = migrator::apply(*db, *files);
    ASSERT_TRUE(again.is_ok()) << again.error().message();
    EXPECT_EQ(again->from_version, again->to_version);
    // The seed row of the first migration was not inserted twice.
    auto st = db->prepare("SELECT count(*) FROM events WHERE slug = 'demo'");
    ASSERT_EQ(st->step(), SQLITE_ROW);
    EXPECT_EQ(st->column_int(0), 1);
}

TEST(migrator, broken_file_rolls_back_and_keeps_previous_version) {
    temp_dir dir;
    auto mdir = dir.path() / "migrations";
    std::filesystem::create_directories(mdir);
    write(mdir / "0001_first.sql", "CREATE TABLE a (x INTEGER);");
    write(mdir / "0002_broken.sql", "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);");
    auto files = migrator::scan(mdir.string());
    ASSERT_TRUE(files.is_ok());
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    auto r = migrator::apply(*db, *files);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "migration_failed");
    EXPECT_NE(r.error().message().find("0002_broken.sql"), std::string::npos);
    EXPECT_EQ(user_version(*db), 1);
    EXPECT_TRUE(table_exists(*db, "a"));
    EXPECT_FALSE(table_exists(*db, "b"));  // the failed file left nothing behind
}

TEST(migrator, refuses_a_database_from_a_newer_build) {
    temp_dir dir;
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db->exec("PRAGMA user_version = 999").is_ok());
    auto files = migrator::scan(TRIBUNE_SOURCE_DIR "/migrations");
    auto r = migrator::apply(*db, *files);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "database_too_new");
    EXPECT_EQ(user_version(*db), 999);
}

TEST(migrator, scan_rejects_gaps_and_bad_names) {
    temp_dir dir;
    write(dir.path() / "0001_a.sql", "SELECT 1;");
    write(dir.path() / "0003_c.sql", "SELECT 1;");
    auto gap = migrator::scan(dir.path().string());
    ASSERT_FALSE(gap.is_ok());
    EXPECT_EQ(gap.error().code(), "migration_numbering");

    temp_dir dir2;
    write(dir2.path() / "first.sql", "SELECT 1;");
    auto bad = migrator::scan(dir2.path().string());
    ASSERT_FALSE(bad.is_ok());
    EXPECT_EQ(bad.error().code(), "migration_name");

    EXPECT_FALSE(migrator::scan((dir.path() / "missing").string()).is_ok());
}

}  // namespace
}  // namespace tribune

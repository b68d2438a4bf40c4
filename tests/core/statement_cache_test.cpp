// The statement cache of a connection: a statement goes back reset and unbound, is reused for
// the same SQL, and SQL built per call (prepare_uncached) is never kept.
#include "core/sqlite/statement_cache.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/sqlite/sqlite_connection.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

TEST(statement_cache, a_statement_comes_back_reset_and_unbound_for_the_same_sql) {
    temp_dir dir;
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db.is_ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);").is_ok());
    const std::string sql = "SELECT v FROM t WHERE v >= ? ORDER BY v";
    sqlite3_stmt* first = nullptr;
    {
        auto st = db->prepare(sql);
        ASSERT_TRUE(st.is_ok());
        st->bind(1, std::int64_t{2});
        ASSERT_EQ(st->step(), SQLITE_ROW);  // left in the middle of its rows
        EXPECT_EQ(st->column_int(0), 2);
        first = st->get();
    }
    auto again = db->prepare(sql);
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->get(), first) << "the idle statement is reused";
    // Unbound: ? is NULL, so no row is >= it; reset: no row of the earlier run is left.
    EXPECT_EQ(again->step(), SQLITE_DONE);
    again->reset();
    again->bind(1, std::int64_t{3});
    ASSERT_EQ(again->step(), SQLITE_ROW);
    EXPECT_EQ(again->column_int(0), 3);
}

TEST(statement_cache, two_statements_of_one_sql_in_use_at_once_are_distinct) {
    temp_dir dir;
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db.is_ok());
    auto a = db->prepare("SELECT 1");
    auto b = db->prepare("SELECT 1");
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_NE(a->get(), b->get());
}

TEST(statement_cache, keeps_at_most_max_per_text_idle_and_nothing_from_prepare_uncached) {
    temp_dir dir;
    auto db = sqlite_connection::open(dir.file("t.db"), false);
    ASSERT_TRUE(db.is_ok());
    statement_cache cache;
    {
        std::vector<sqlite_statement> held;
        for (std::size_t i = 0; i < statement_cache::max_per_text + 2; ++i) {
            sqlite3_stmt* s = nullptr;
            ASSERT_EQ(sqlite3_prepare_v2(db->get(), "SELECT 2", -1, &s, nullptr), SQLITE_OK);
            held.emplace_back(s, &cache);
        }
    }
    EXPECT_EQ(cache.idle(), statement_cache::max_per_text);
    {
        auto st = db->prepare_uncached("SELECT 3");
        ASSERT_TRUE(st.is_ok());
    }
    EXPECT_EQ(cache.take("SELECT 3"), nullptr);
    sqlite3_stmt* kept = cache.take("SELECT 2");
    ASSERT_NE(kept, nullptr);
    sqlite3_finalize(kept);
    EXPECT_EQ(cache.idle(), statement_cache::max_per_text - 1);
}

}  // namespace
}  // namespace tribune

// --db / TRIBUNE_DB: a PostgreSQL URL selects PostgreSQL, another URL scheme is refused, and
// anything else is a file path.

#include <gtest/gtest.h>

#include "core/store/database_location.hpp"

namespace tribune {
namespace {

TEST(database_location, postgresql_urls_select_postgresql) {
    for (const char* url : {"postgresql://tribune@db/tribune", "postgres://u:p@10.0.0.5:5433/x",
                            "PostgreSQL://localhost/t", "postgresql:///t?host=/run/pg"}) {
        auto where = parse_database_location(url);
        ASSERT_TRUE(where.is_ok()) << url;
        EXPECT_EQ(where->kind, database_kind::postgresql) << url;
        EXPECT_EQ(where->target, url);
    }
}

TEST(database_location, other_schemes_are_refused_with_one_clear_line) {
    for (const char* url : {"mysql://root@db/tribune", "sqlite:///var/t.db", "http://x/y"}) {
        auto where = parse_database_location(url);
        ASSERT_FALSE(where.is_ok()) << url;
        EXPECT_EQ(where.error().code(), "unsupported_database_url");
        EXPECT_EQ(where.error().message().find('\n'), std::string::npos);
        EXPECT_NE(where.error().message().find(std::string(url).substr(0, std::string(url).find(':'))),
                  std::string::npos)
            << where.error().message();
    }
    EXPECT_EQ(parse_database_location("").error().code(), "bad_database");
}

TEST(database_location, paths_stay_paths) {
    for (const char* path : {"var/tribune.db", "/tmp/x.db", "postgresql.db", "./a:b/c.db",
                             "dir/postgres:/x", "1abc://not-a-scheme"}) {
        auto where = parse_database_location(path);
        ASSERT_TRUE(where.is_ok()) << path;
        EXPECT_EQ(where->kind, database_kind::sqlite_file) << path;
        EXPECT_EQ(where->target, path);
    }
}

TEST(database_location, descriptions_hide_passwords) {
    EXPECT_EQ(describe_database(*parse_database_location("postgresql://tri:s3cret@db:5432/t")),
              "PostgreSQL postgresql://tri:***@db:5432/t");
    EXPECT_EQ(describe_database(*parse_database_location("postgres://db/t?user=a&password=x&y=1")),
              "PostgreSQL postgres://db/t?user=a&password=***&y=1");
    EXPECT_EQ(describe_database(*parse_database_location("postgresql://tri@db/t")),
              "PostgreSQL postgresql://tri@db/t");
    EXPECT_EQ(describe_database(*parse_database_location("var/t.db")), "var/t.db");
}

}  // namespace
}  // namespace tribune

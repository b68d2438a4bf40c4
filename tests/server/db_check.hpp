#pragma once
// Direct looks into a Tribune database file for the durability tests: PRAGMA
// integrity_check and a count of the stored questions, through a read-only connection.
//
// Thread safety: free functions; each opens and closes its own connection.

#include <cstdint>
#include <string>
#include <vector>

#include <sqlite3.h>

namespace tribune::test {

// The first row of `PRAGMA integrity_check` ("ok" when healthy) or an error description.
inline std::string integrity_check(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string msg = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
        sqlite3_close(db);
        return "open failed: " + msg;
    }
    sqlite3_stmt* st = nullptr;
    std::string out = "prepare failed";
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        else
            out = std::string("step failed: ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// Number of rows in `questions`, or -1 on error.
inline std::int64_t question_count(const std::string& path) {
    sqlite3* db = nullptr;
    std::int64_t n = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM questions", -1, &st, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

// Every row of `sql` as text (NULL as ""), through a read-only connection; empty on error.
inline std::vector<std::vector<std::string>> query_rows(const std::string& path,
                                                        const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                std::vector<std::string> row;
                for (int i = 0; i < sqlite3_column_count(st); ++i) {
                    const unsigned char* t = sqlite3_column_text(st, i);
                    row.emplace_back(t != nullptr ? reinterpret_cast<const char*>(t) : "");
                }
                rows.push_back(std::move(row));
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rows;
}

}  // namespace tribune::test

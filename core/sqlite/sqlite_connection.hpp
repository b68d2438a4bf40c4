#pragma once
// sqlite_connection: one owned SQLite connection, opened with Tribune's connection pragmas
// (WAL, synchronous=FULL, foreign_keys, busy_timeout), with a cache of its prepared
// statements (statement_cache).
//
// Thread safety: none; one thread at a time (the owner serialises access).

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/sqlite/sqlite_statement.hpp"
#include "core/domain/status.hpp"

namespace tribune {

class sqlite_connection {
public:
    // Errors: unavailable when the file cannot be opened.
    static result<sqlite_connection> open(const std::string& path, bool read_only);

    sqlite_connection() = default;
    ~sqlite_connection();
    sqlite_connection(sqlite_connection&& o) noexcept;
    sqlite_connection& operator=(sqlite_connection&& o) noexcept;
    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;

    // Runs one or more statements without results.
    status exec(std::string_view sql);
    // A statement of `sql`, from the statement cache when one is idle; it goes back there
    // when destroyed. For SQL whose text is fixed (or one of a few shapes).
    result<sqlite_statement> prepare(std::string_view sql);
    // A statement of `sql` that is finalized when destroyed: for SQL built per call.
    result<sqlite_statement> prepare_uncached(std::string_view sql);

    // Maps the connection's last error to a status (disk full / read-only -> unavailable).
    status last_error(std::string_view what) const;
    static status error_for(int rc, std::string_view what, std::string_view detail);

    sqlite3* get() const { return db_; }

private:
    explicit sqlite_connection(sqlite3* db);
    void close();

    sqlite3* db_ = nullptr;
    // Destroyed (statements finalized) before the connection closes; on the heap so that
    // statements keep pointing at it when the connection is moved.
    std::unique_ptr<statement_cache> cache_;
};

}  // namespace tribune

#include "core/sqlite/sqlite_connection.hpp"

#include <string>
#include <utility>

namespace tribune {

result<sqlite_connection> sqlite_connection::open(const std::string& path, bool read_only) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return status::error(error_kind::unavailable, "database_unavailable",
                             "cannot open database " + path + ": " + msg);
    }
    sqlite_connection c(db);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    // Connection pragmas belong to the code that opens the database, not to migrations.
    status s = c.exec(read_only ? "PRAGMA foreign_keys=ON;"
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                  "PRAGMA foreign_keys=ON;");
    if (!s) return s;
    return c;
}

sqlite_connection::~sqlite_connection() { sqlite3_close_v2(db_); }

sqlite_connection::sqlite_connection(sqlite_connection&& o) noexcept : db_(o.db_) {
    o.db_ = nullptr;
}

sqlite_connection& sqlite_connection::operator=(sqlite_connection&& o) noexcept {
    if (this != &o) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
}

status sqlite_connection::exec(std::string_view sql) {
    std::string owned(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return status::ok();
    std::string detail = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return error_for(rc, "exec", detail);
}

result<sqlite_statement> sqlite_connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return last_error("prepare");
    return sqlite_statement(stmt);
}

status sqlite_connection::last_error(std::string_view what) const {
    return error_for(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

status sqlite_connection::error_for(int rc, std::string_view what, std::string_view detail) {
    std::string msg = std::string(what) + ": " + std::string(detail);
    switch (rc & 0xff) {
        case SQLITE_FULL:
            return status::error(error_kind::unavailable, "storage_full", "database disk is full; " + msg);
        case SQLITE_READONLY:
            return status::error(error_kind::unavailable, "storage_read_only", "database is read-only; " + msg);
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return status::error(error_kind::unavailable, "storage_busy", "database is busy; " + msg);
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return status::error(error_kind::unavailable, "storage_io", "database I/O error; " + msg);
        case SQLITE_CONSTRAINT:
            return status::error(error_kind::conflict, "constraint", msg);
        default:
            return status::error(error_kind::internal, "storage_error", msg);
    }
}

}  // namespace tribune

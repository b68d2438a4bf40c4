#include "core/sqlite/sqlite_connection.hpp"

#include "core/sqlite/wal_buffer_vfs.hpp"

#include <string>
#include <utility>

namespace tribune {
namespace {

// SQLite's page cache per connection, in KiB (its default is 2 MiB). The writer's holds the
// interior pages and the hot leaves of the question indexes, whose inserts land all over
// them (severity, group, external id); with the default, every group commit read them back
// from the kernel and the commit time grew with the event. Readers serve pages and counts.
// Bounded: 64 MiB for the writer, 8 MiB per reader (docs/benchmarks.md "Memory").
constexpr int writer_cache_kib = 64 * 1024;
constexpr int reader_cache_kib = 8 * 1024;
// The writer's automatic checkpoint, in WAL pages (SQLite's default is 1,000, 4 MB). A
// checkpoint runs inside the COMMIT that crosses it, on the group commit's thread, and with
// synchronous=NORMAL it fsyncs the WAL and the database file (and the WAL header when the
// WAL is reused): three fsyncs of about 4 ms each on this disk while every question in flight
// waits. A group commit writes every page it touches again (about 45 WAL pages for a batch of
// 9 questions in the flood), mostly the same hot leaves, which a checkpoint copies once: with
// 16,384 pages (64 MiB of WAL) there are 16 times fewer checkpoints, each copying far fewer
// pages per question (docs/benchmarks.md "Session 8"). The WAL file keeps that size on disk;
// the wal-index in shared memory grows by about 8 bytes per page.
constexpr int writer_autocheckpoint_pages = 16384;

void configure_library() {
    // Before the library initialises: no global memory statistics, which take a global mutex
    // on every allocation of every connection.
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
}

}  // namespace

result<sqlite_connection> sqlite_connection::open(const std::string& path, bool read_only) {
    configure_library();
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // A writer gathers each transaction's WAL frames into one write (wal_buffer_vfs.hpp).
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, read_only ? nullptr : wal_buffer_vfs::name());
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
    // synchronous=FULL in WAL mode: every COMMIT fsyncs the WAL before it returns, so a
    // committed transaction survives a crash or a power cut. The group commit alone lowers it
    // to NORMAL for its transaction and syncs the WAL afterwards, before any 201
    // (sqlite_store::insert_batch_unsynced, wal_sync.hpp).
    const std::string cache =
        "PRAGMA cache_size=-" + std::to_string(read_only ? reader_cache_kib : writer_cache_kib) +
        "; PRAGMA temp_store=MEMORY;";
    status s = c.exec(read_only ? "PRAGMA foreign_keys=ON;" + cache
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                  "PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=" +
                                      std::to_string(writer_autocheckpoint_pages) + ";" + cache);
    if (!s) return s;
    return c;
}

sqlite_connection::sqlite_connection(sqlite3* db)
    : db_(db), cache_(std::make_unique<statement_cache>()) {}

sqlite_connection::~sqlite_connection() { close(); }

void sqlite_connection::close() {
    cache_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

sqlite_connection::sqlite_connection(sqlite_connection&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), cache_(std::move(o.cache_)) {}

sqlite_connection& sqlite_connection::operator=(sqlite_connection&& o) noexcept {
    if (this != &o) {
        close();
        db_ = std::exchange(o.db_, nullptr);
        cache_ = std::move(o.cache_);
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
    if (sqlite3_stmt* idle = cache_->take(sql)) return sqlite_statement(idle, cache_.get());
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return last_error("prepare");
    return sqlite_statement(stmt, cache_.get());
}

result<sqlite_statement> sqlite_connection::prepare_uncached(std::string_view sql) {
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

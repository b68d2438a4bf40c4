#include "core/sqlite/sqlite_backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "core/sqlite/sqlite_connection.hpp"

namespace tribune {
namespace {

namespace fs = std::filesystem;

struct backup_deleter {
    void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
};

// Copies every page of `src` into `dst` in one step (one read transaction on `src`).
result<backup_report> copy_pages(sqlite_connection& src, sqlite_connection& dst) {
    std::unique_ptr<sqlite3_backup, backup_deleter> b(
        sqlite3_backup_init(dst.get(), "main", src.get(), "main"));
    if (!b) return dst.last_error("backup init");
    int rc = SQLITE_OK;
    // A busy or locked source (a checkpoint holding a lock a moment) is retried; the
    // connection's busy timeout already waits inside each step.
    for (int attempt = 0; attempt < 100; ++attempt) {
        rc = sqlite3_backup_step(b.get(), -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        sqlite3_sleep(50);
    }
    backup_report report;
    report.pages = sqlite3_backup_pagecount(b.get());
    sqlite3_backup* raw = b.release();
    int finish_rc = sqlite3_backup_finish(raw);
    if (rc != SQLITE_DONE)
        return sqlite_connection::error_for(rc, "backup", sqlite3_errstr(rc));
    if (finish_rc != SQLITE_OK) return dst.last_error("backup finish");
    return report;
}

status check_integrity(sqlite_connection& db) {
    auto stmt = db.prepare("PRAGMA integrity_check");
    if (!stmt) return stmt.error();
    sqlite3_stmt* s = stmt->get();
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) return db.last_error("integrity check");
    const unsigned char* text = sqlite3_column_text(s, 0);
    std::string verdict = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    if (verdict != "ok")
        return status::error(error_kind::internal, "backup_corrupt",
                             "the backup failed its integrity check: " + verdict);
    return status::ok();
}

}  // namespace

result<backup_report> backup_database(const std::string& from, const std::string& to) {
    std::error_code ec;
    if (!fs::exists(from, ec))
        return status::error(error_kind::unavailable, "database_unavailable",
                             "no database at " + from);
    if (fs::exists(to, ec))
        return invalid("backup_target_exists", to + " exists; choose a new file name");
    const std::string partial = to + ".partial";
    fs::remove(partial, ec);
    auto src = sqlite_connection::open(from, /*read_only=*/true);
    if (!src) return src.error();
    result<backup_report> out = backup_report{};
    {
        auto dst = sqlite_connection::open(partial, /*read_only=*/false);
        if (!dst) {
            fs::remove(partial, ec);
            return dst.error();
        }
        out = copy_pages(*src, *dst);
        if (out) {
            // The copy keeps the source's WAL mode; fold it into one self-contained file.
            if (status s = dst->exec("PRAGMA wal_checkpoint(TRUNCATE);"); !s) out = s;
        }
        if (out) {
            if (status s = check_integrity(*dst); !s) out = s;
        }
    }
    if (!out) {
        fs::remove(partial, ec);
        fs::remove(partial + "-wal", ec);
        fs::remove(partial + "-shm", ec);
        return out;
    }
    fs::rename(partial, to, ec);
    if (ec) {
        fs::remove(partial, ec);
        return status::error(error_kind::unavailable, "storage_io",
                             "cannot rename " + partial + " to " + to + ": " + ec.message());
    }
    out->bytes = static_cast<std::int64_t>(fs::file_size(to, ec));
    return out;
}

}  // namespace tribune

#pragma once
// sqlite_backup: a consistent online copy of a Tribune database with SQLite's backup API,
// safe while the server writes to it.
//
// The copy is taken in one read transaction (every page in one backup step), so it is the
// database as of one commit: in WAL mode the server's writers are not blocked meanwhile.
// It is written to `<to>.partial`, checked with `PRAGMA integrity_check`, and renamed to
// `<to>` only when complete, so `<to>` is never a half-written file.
//
// Thread safety: a free function; it opens its own connections.

#include <cstdint>
#include <string>

#include "core/domain/status.hpp"

namespace tribune {

struct backup_report {
    std::int64_t pages = 0;
    std::int64_t bytes = 0;
};

// Copies the database at `from` to the new file `to`.
// Errors: invalid_argument (backup_target_exists: `to` exists),
// unavailable (the source cannot be opened or read, the target cannot be written:
// storage_full, storage_read_only, storage_io, ...), internal (backup_corrupt: the copy
// failed its integrity check).
result<backup_report> backup_database(const std::string& from, const std::string& to);

}  // namespace tribune

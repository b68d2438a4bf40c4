#pragma once
// faulty_vfs: a SQLite VFS for the storage tests. It wraps the platform's default VFS and
// becomes the default itself, so the server's own connections use it unchanged; while a
// failure is switched on, every write to a database, journal or WAL file fails with that
// SQLite error, which is what SQLite reports on a full disk (SQLITE_FULL, from ENOSPC) or
// a file that became read-only (SQLITE_READONLY). Reads are never affected.
//
// Thread safety: install() once per process before opening the database (idempotent);
// fail_writes() from any thread.

namespace tribune::test {

class faulty_vfs {
public:
    static void install();
    // Every write fails with `sqlite_error` from now on; SQLITE_OK (0) lets them pass again.
    static void fail_writes(int sqlite_error);
};

}  // namespace tribune::test

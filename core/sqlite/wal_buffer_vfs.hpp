#pragma once
// wal_buffer_vfs: an SQLite VFS over the default one that gathers a transaction's writes to its
// WAL file into one buffer and writes them in one or two pwrites, instead of two per page (a frame's
// 24-byte header, then its page). A group commit of 9 questions writes about 45 frames; on
// this machine those ~90 system calls took about a fifth of the committer's time
// (docs/profiles/flood-s12.md).
//
// When the buffer reaches the file, so that nothing changes for another connection, a crash
// or a checkpoint:
// - with the last frame of a COMMIT (its header carries the database size): inside the
//   COMMIT, so a failed write (a full disk) fails the COMMIT and SQLite rolls it back, as when
//   its own write fails; the failed run is dropped, never written later;
// - before the frames of a COMMIT become visible, for anything written after that last frame:
//   SQLite publishes a COMMIT by writing the wal-index header in two copies with a memory
//   barrier between them (walIndexWriteHdr), and a reader accepts a header only when both
//   copies agree; the database file's xShmBarrier flushes its WAL's buffer first;
// - before any read, sync, truncate or size query of the WAL file, before a write that does
//   not continue the buffered run, when the buffer is full (124 KiB, what one write of the
//   unix VFS takes), and when the file closes.
// The order of the bytes in the file is the order SQLite wrote them. Durability is unchanged:
// COMMIT with synchronous=NORMAL never synced the WAL (wal_sync.hpp does, after).
//
// A WAL file is buffered only when its database file was opened through this VFS by the same
// connection (SQLite passes the WAL the database's own name pointer); otherwise its writes go
// straight through. The database file's methods are the default VFS's but for xShmBarrier;
// other files (temporary ones) are the default VFS's own, unwrapped.
//
// Thread safety: name() may be called from any thread (registration happens once). A file is
// used by one connection at a time, as SQLite guarantees for its files; the registry of open
// database files is guarded by a mutex, taken only when a database or WAL file opens or closes.

#include <sqlite3.h>

#include <cstdint>

#include "core/domain/status.hpp"

namespace tribune {

class wal_buffer_vfs {
public:
    // The VFS's name for sqlite3_open_v2, registered (not as the default) at the first call;
    // nullptr when it could not be registered (then the caller uses the default VFS).
    static const char* name();

    // Writes what `db`'s WAL file still buffers. After a COMMIT the buffer is normally empty
    // (xShmBarrier flushed it); what is left is a write that failed there, tried again here.
    // Ok for a connection that does not use this VFS. Errors: storage_error.
    static status flush(sqlite3* db);

    // Writes SQLite asked of buffered WAL files, and writes that reached a file (of buffered
    // runs and of unlinked WAL files), since the process started. For tests and benchmarks.
    struct counters {
        std::uint64_t gathered = 0;
        std::uint64_t written = 0;
    };
    static counters totals();
};

}  // namespace tribune

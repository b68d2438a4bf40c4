#include "core/sqlite/wal_buffer_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace tribune {
namespace {

constexpr const char* vfs_name = "tribune-wal-buffer";
// One xWrite of the unix VFS writes at most 128 KiB - 1 bytes (its seekAndWrite masks the
// length with 0x1ffff, and a longer write fails as SQLITE_FULL): the largest multiple of 4 KiB
// below that. A group commit of ~45 frames (185 KiB) takes two writes.
constexpr std::size_t buffer_capacity = 124 * 1024;
// sqlite3_file_control opcode of flush(sqlite3*), far above SQLite's own (which end below 100).
constexpr int flush_opcode = 0x54524942;

std::atomic<std::uint64_t> gathered_writes{0};
std::atomic<std::uint64_t> file_writes{0};

struct wal_file;

// A database file opened through this VFS. `real` is the default VFS's file, stored after
// this struct in the block SQLite allocated (szOsFile).
struct db_file {
    sqlite3_file base;
    sqlite3_file* real;
    const char* name;  // the pointer SQLite passed to xOpen: its WAL's name points into it
    wal_file* wal;     // the open WAL file of the same connection, or nullptr
};

struct wal_file {
    sqlite3_file base;
    sqlite3_file* real;
    db_file* db;            // nullptr: not linked, every write goes straight through
    unsigned char* buffer;  // buffer_capacity bytes once linked
    sqlite3_int64 start;    // file offset of buffer[0]
    std::size_t length;     // bytes buffered
    bool commit_page_next;  // the last write was the header of a COMMIT's last frame
    bool published;         // the buffer holds frames SQLite has published (see flush)
};

sqlite3_vfs* real_vfs = nullptr;  // the default VFS when this one was registered
int real_room = 0;                  // bytes kept for the wrapped VFS's file in each file
sqlite3_vfs the_vfs{};
sqlite3_io_methods db_methods{};
sqlite3_io_methods wal_methods{};

std::mutex registry_mutex;
std::vector<db_file*>& open_databases() {  // GUARDED_BY(registry_mutex)
    static std::vector<db_file*> list;
    return list;
}

constexpr std::size_t wrapper_size() {
    return (std::max(sizeof(db_file), sizeof(wal_file)) + 15) & ~std::size_t{15};
}

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + wrapper_size());
}

db_file* as_db(sqlite3_file* f) { return reinterpret_cast<db_file*>(f); }
wal_file* as_wal(sqlite3_file* f) { return reinterpret_cast<wal_file*>(f); }

// Writes the buffered run to the file. SQLITE_OK when nothing was buffered.
// On an error, the run is dropped and the error goes to SQLite, which rolls the transaction
// back as it does when its own write fails: the run holds frames of a transaction that has not
// committed (a COMMIT's run is written when its last frame is, inside the COMMIT). Only when
// the run holds frames SQLite already published (`published`: the wal-index barrier's flush
// failed, which it cannot report) is it kept, and every later operation on the WAL writes it
// again first and fails while it cannot: no frame lands after a hole.
int flush(wal_file* w) {
    if (w->length == 0) return SQLITE_OK;
    file_writes.fetch_add(1, std::memory_order_relaxed);
    const int rc = w->real->pMethods->xWrite(w->real, w->buffer, static_cast<int>(w->length), w->start);
    if (rc == SQLITE_OK || !w->published) {
        w->length = 0;
        w->published = false;
    }
    return rc;
}

// ---- the WAL file ----

int wal_close(sqlite3_file* f) {
    wal_file* w = as_wal(f);
    const int flushed = flush(w);
    if (w->db != nullptr) {
        std::lock_guard lock(registry_mutex);
        w->db->wal = nullptr;
    }
    delete[] w->buffer;
    w->buffer = nullptr;
    const int rc = w->real->pMethods->xClose(w->real);
    return flushed != SQLITE_OK ? flushed : rc;
}

int wal_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    wal_file* w = as_wal(f);
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xRead(w->real, out, amount, offset);
}

int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    wal_file* w = as_wal(f);
    if (w->buffer == nullptr || amount < 0) {
        file_writes.fetch_add(1, std::memory_order_relaxed);
        return w->real->pMethods->xWrite(w->real, data, amount, offset);
    }
    gathered_writes.fetch_add(1, std::memory_order_relaxed);
    const auto n = static_cast<std::size_t>(amount);
    const bool continues = w->length != 0 && offset == w->start + static_cast<sqlite3_int64>(w->length);
    if (w->length != 0 && (!continues || w->length + n > buffer_capacity)) {
        if (int rc = flush(w); rc != SQLITE_OK) return rc;
    }
    if (n > buffer_capacity) {
        file_writes.fetch_add(1, std::memory_order_relaxed);
        return w->real->pMethods->xWrite(w->real, data, amount, offset);
    }
    if (w->length == 0) w->start = offset;
    std::memcpy(w->buffer + w->length, data, n);
    w->length += n;
    // A COMMIT's last frame: written now, so that a failure fails the COMMIT. A frame header is
    // 24 bytes; its bytes 4-7 hold the database size after a COMMIT, 0 in other frames.
    if (w->commit_page_next) {
        w->commit_page_next = false;
        return flush(w);
    }
    if (n == 24) {
        const auto* h = static_cast<const unsigned char*>(data);
        w->commit_page_next = (h[4] | h[5] | h[6] | h[7]) != 0;
    }
    return SQLITE_OK;
}

int wal_truncate(sqlite3_file* f, sqlite3_int64 size) {
    wal_file* w = as_wal(f);
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xTruncate(w->real, size);
}

int wal_sync(sqlite3_file* f, int flags) {
    wal_file* w = as_wal(f);
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xSync(w->real, flags);
}

int wal_file_size(sqlite3_file* f, sqlite3_int64* size) {
    wal_file* w = as_wal(f);
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xFileSize(w->real, size);
}




int wal_file_control(sqlite3_file* f, int op, void* arg) {
    wal_file* w = as_wal(f);
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xFileControl(w->real, op, arg);
}



// ---- the database file: the default VFS's, with xShmBarrier flushing the WAL first. The
// forward_* functions pass a call on as it is (to the default VFS's file at real_of(f)); the
// WAL file's table uses those it does not change. ----

int db_close(sqlite3_file* f) {
    db_file* d = as_db(f);
    {
        std::lock_guard lock(registry_mutex);
        auto& list = open_databases();
        list.erase(std::remove(list.begin(), list.end(), d), list.end());
        if (d->wal != nullptr) d->wal->db = nullptr;
    }
    return d->real->pMethods->xClose(d->real);
}

int forward_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xRead(r, out, amount, offset);
}
int forward_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xWrite(r, data, amount, offset);
}
int forward_truncate(sqlite3_file* f, sqlite3_int64 size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}
int forward_sync(sqlite3_file* f, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSync(r, flags);
}
int forward_file_size(sqlite3_file* f, sqlite3_int64* size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}
int forward_lock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xLock(r, level);
}
int forward_unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}
int forward_check_reserved(sqlite3_file* f, int* out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}
int db_file_control(sqlite3_file* f, int op, void* arg) {
    db_file* d = as_db(f);
    if (op == flush_opcode) return d->wal != nullptr ? flush(d->wal) : SQLITE_OK;
    return d->real->pMethods->xFileControl(d->real, op, arg);
}
int forward_sector_size(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSectorSize(r);
}
int forward_device_characteristics(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}
int forward_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmMap(r, region, size, extend, out);
}
int forward_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}
void db_shm_barrier(sqlite3_file* f) {
    db_file* d = as_db(f);
    // Frames still buffered reach the file before the header that publishes them. Normally
    // none are: a COMMIT's run was written with its last frame; what is left here comes
    // after it (SQLite rewriting checksums in place). A failed write here cannot be reported
    // (xShmBarrier returns nothing): the run stays buffered, and wal_buffer_vfs::flush, which
    // the writer calls after its COMMIT, reports it.
    if (d->wal != nullptr && d->wal->length != 0) {
        d->wal->published = true;
        (void)flush(d->wal);
    }
    d->real->pMethods->xShmBarrier(d->real);
}
int forward_shm_unmap(sqlite3_file* f, int delete_flag) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmUnmap(r, delete_flag);
}
int forward_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFetch(r, offset, amount, out);
}
int forward_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnfetch(r, offset, page);
}

// ---- the VFS ----

// The VFS below: the default one now (a VFS made the default after this one was registered,
// such as the storage tests' failing one, is used), unless its files do not fit the room kept
// for them; then the default of the registration.
sqlite3_vfs* under() {
    sqlite3_vfs* d = sqlite3_vfs_find(nullptr);
    if (d == nullptr || d == &the_vfs || d->szOsFile > real_room) return real_vfs;
    return d;
}

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    sqlite3_vfs* below = under();
    const bool main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    const bool wal = (flags & SQLITE_OPEN_WAL) != 0;
    if (!main_db && !wal) return below->xOpen(below, name, f, flags, out_flags);
    sqlite3_file* real = real_of(f);
    f->pMethods = nullptr;
    const int rc = below->xOpen(below, name, real, flags, out_flags);
    if (rc != SQLITE_OK) {
        // SQLite calls xClose only when pMethods is set; close what the default VFS opened.
        if (real->pMethods != nullptr) real->pMethods->xClose(real);
        return rc;
    }
    if (main_db && real->pMethods->iVersion < 3) {
        // No xFetch to pass on: this database file is the default VFS's own, unwrapped.
        real->pMethods->xClose(real);
        return below->xOpen(below, name, f, flags, out_flags);
    }
    if (main_db) {
        db_file* d = as_db(f);
        d->real = real;
        d->name = name;
        d->wal = nullptr;
        std::lock_guard lock(registry_mutex);
        open_databases().push_back(d);
        f->pMethods = &db_methods;
        return SQLITE_OK;
    }
    wal_file* w = as_wal(f);
    w->real = real;
    w->db = nullptr;
    w->buffer = nullptr;
    w->start = 0;
    w->length = 0;
    w->commit_page_next = false;
    w->published = false;
    {
        // The WAL's name points into the same block as its database's (sqlite3_filename_database
        // finds the start of that block): the database file opened by the same connection.
        const char* database = sqlite3_filename_database(name);
        std::lock_guard lock(registry_mutex);
        for (db_file* d : open_databases())
            if (d->name == database && d->wal == nullptr) {
                w->db = d;
                d->wal = w;
                break;
            }
    }
    if (w->db != nullptr) w->buffer = new (std::nothrow) unsigned char[buffer_capacity];
    if (w->db != nullptr && w->buffer == nullptr) {
        std::lock_guard lock(registry_mutex);
        w->db->wal = nullptr;
        w->db = nullptr;
    }
    f->pMethods = &wal_methods;
    return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    sqlite3_vfs* v = under();
    return v->xDelete(v, name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    sqlite3_vfs* v = under();
    return v->xAccess(v, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
    sqlite3_vfs* v = under();
    return v->xFullPathname(v, name, size, out);
}
// Loadable extensions and the clock: always the registration's default VFS, so that a handle
// from xDlOpen goes back to the VFS that made it.
void* vfs_dl_open(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void vfs_dl_error(sqlite3_vfs*, int size, char* out) { real_vfs->xDlError(real_vfs, size, out); }
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int vfs_randomness(sqlite3_vfs*, int size, char* out) { return real_vfs->xRandomness(real_vfs, size, out); }
int vfs_sleep(sqlite3_vfs*, int micros) { return real_vfs->xSleep(real_vfs, micros); }
int vfs_current_time(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int vfs_last_error(sqlite3_vfs*, int size, char* out) { return real_vfs->xGetLastError(real_vfs, size, out); }
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

bool register_vfs() {
    real_vfs = sqlite3_vfs_find(nullptr);
    // The methods used below exist from version 2 of the VFS (SQLite 3.7+) and version 3 of
    // the io methods (xFetch); the default unix VFS has both.
    if (real_vfs == nullptr || real_vfs->iVersion < 2) return false;

    wal_methods.iVersion = 1;
    wal_methods.xClose = wal_close;
    wal_methods.xRead = wal_read;
    wal_methods.xWrite = wal_write;
    wal_methods.xTruncate = wal_truncate;
    wal_methods.xSync = wal_sync;
    wal_methods.xFileSize = wal_file_size;
    wal_methods.xLock = forward_lock;
    wal_methods.xUnlock = forward_unlock;
    wal_methods.xCheckReservedLock = forward_check_reserved;
    wal_methods.xFileControl = wal_file_control;
    wal_methods.xSectorSize = forward_sector_size;
    wal_methods.xDeviceCharacteristics = forward_device_characteristics;

    db_methods.iVersion = 3;
    db_methods.xClose = db_close;
    db_methods.xRead = forward_read;
    db_methods.xWrite = forward_write;
    db_methods.xTruncate = forward_truncate;
    db_methods.xSync = forward_sync;
    db_methods.xFileSize = forward_file_size;
    db_methods.xLock = forward_lock;
    db_methods.xUnlock = forward_unlock;
    db_methods.xCheckReservedLock = forward_check_reserved;
    db_methods.xFileControl = db_file_control;
    db_methods.xSectorSize = forward_sector_size;
    db_methods.xDeviceCharacteristics = forward_device_characteristics;
    db_methods.xShmMap = forward_shm_map;
    db_methods.xShmLock = forward_shm_lock;
    db_methods.xShmBarrier = db_shm_barrier;
    db_methods.xShmUnmap = forward_shm_unmap;
    db_methods.xFetch = forward_fetch;
    db_methods.xUnfetch = forward_unfetch;

    the_vfs.iVersion = 2;
    // Room for a file of the default VFS, or of one made the default later if it fits.
    real_room = std::max(real_vfs->szOsFile, 4096);
    the_vfs.szOsFile = static_cast<int>(wrapper_size()) + real_room;
    the_vfs.mxPathname = real_vfs->mxPathname;
    the_vfs.zName = vfs_name;
    the_vfs.xOpen = vfs_open;
    the_vfs.xDelete = vfs_delete;
    the_vfs.xAccess = vfs_access;
    the_vfs.xFullPathname = vfs_full_pathname;
    the_vfs.xDlOpen = vfs_dl_open;
    the_vfs.xDlError = vfs_dl_error;
    the_vfs.xDlSym = vfs_dl_sym;
    the_vfs.xDlClose = vfs_dl_close;
    the_vfs.xRandomness = vfs_randomness;
    the_vfs.xSleep = vfs_sleep;
    the_vfs.xCurrentTime = vfs_current_time;
    the_vfs.xGetLastError = vfs_last_error;
    the_vfs.xCurrentTimeInt64 = vfs_current_time_int64;
    return sqlite3_vfs_register(&the_vfs, 0) == SQLITE_OK;
}

}  // namespace

const char* wal_buffer_vfs::name() {
    static const bool registered = register_vfs();
    return registered ? vfs_name : nullptr;
}

status wal_buffer_vfs::flush(sqlite3* db) {
    const int rc = sqlite3_file_control(db, "main", flush_opcode, nullptr);
    // SQLITE_NOTFOUND: the connection does not use this VFS, nothing is buffered.
    if (rc == SQLITE_OK || rc == SQLITE_NOTFOUND) return status::ok();
    return status::error(error_kind::internal, "storage_error",
                         std::string("cannot write the WAL file: ") + sqlite3_errstr(rc));
}

wal_buffer_vfs::counters wal_buffer_vfs::totals() {
    return {gathered_writes.load(std::memory_order_relaxed), file_writes.load(std::memory_order_relaxed)};
}

}  // namespace tribune

#include "tests/server/faulty_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <mutex>

namespace tribune::test {
namespace {

std::atomic<int> failure{SQLITE_OK};
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs wrapper_vfs;

// Our file object; the real VFS's file object follows it in the same allocation.
struct wrapped_file {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<wrapped_file*>(f)->real; }

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (int rc = failure.load(); rc != SQLITE_OK) return rc;
    return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) { return real_of(f)->pMethods->xSync(real_of(f), flags); }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int x_unlock(sqlite3_file* f, int level) {
    return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) {
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
    return real_of(f)->pMethods->xFetch(real_of(f), off, n, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

const sqlite3_io_methods wrapped_methods = {
    3,          x_close,  x_read,          x_write,   x_truncate,   x_sync,
    x_file_size, x_lock,  x_unlock,        x_check_reserved, x_file_control, x_sector_size,
    x_device,   x_shm_map, x_shm_lock,     x_shm_barrier, x_shm_unmap, x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* w = reinterpret_cast<wrapped_file*>(file);
    w->real = reinterpret_cast<sqlite3_file*>(w + 1);
    w->base.pMethods = nullptr;
    int rc = real_vfs->xOpen(real_vfs, name, w->real, flags, out_flags);
    if (w->real->pMethods != nullptr) w->base.pMethods = &wrapped_methods;
    return rc;
}

}  // namespace

void faulty_vfs::install() {
    static std::once_flag once;
    std::call_once(once, [] {
        real_vfs = sqlite3_vfs_find(nullptr);
        wrapper_vfs = *real_vfs;
        wrapper_vfs.zName = "tribune-faulty";
        wrapper_vfs.szOsFile = static_cast<int>(sizeof(wrapped_file)) + real_vfs->szOsFile;
        wrapper_vfs.xOpen = x_open;
        wrapper_vfs.pNext = nullptr;
        sqlite3_vfs_register(&wrapper_vfs, /*makeDflt=*/1);
    });
}

void faulty_vfs::fail_writes(int sqlite_error) { failure.store(sqlite_error); }

}  // namespace tribune::test

#pragma once
// wal_sync: makes the group commit's transactions durable off the writer's path. The group
// commit commits with synchronous=NORMAL (sqlite_store::insert_batch_unsynced): COMMIT
// writes the transaction's frames to the WAL file (into the operating system's page cache:
// a crash of the process loses nothing) and returns without an fsync. sync() then fsyncs the
// WAL file from another thread (ingest_pipeline's completer), once for every transaction
// committed before it started, while the writer already writes the next batch. A transaction
// is durable against a power cut once a sync() that started after its COMMIT returned — what
// synchronous=FULL gives inside the COMMIT, here one fsync for several batches. SQLite's own
// NORMAL mode keeps the WAL's structure safe (it syncs the WAL before each checkpoint, the
// database after it, and the WAL header when the WAL is reused).
//
// Thread safety: committed() from the writer (after each unsynced COMMIT), sync() and
// pending() from any thread; syncs are serialised on an internal mutex.
// Ownership: owns its file descriptor of the WAL file (<database>-wal), opened at the first
// sync and reopened if the file was replaced.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/domain/status.hpp"

namespace tribune {

class wal_sync {
public:
    explicit wal_sync(std::string database_path) : wal_path_(std::move(database_path) + "-wal") {}
    ~wal_sync();
    wal_sync(const wal_sync&) = delete;
    wal_sync& operator=(const wal_sync&) = delete;

    // Records that a transaction committed without an fsync.
    void committed() { committed_.fetch_add(1, std::memory_order_release); }
    // True while a transaction committed without an fsync is not yet durable.
    bool pending() const {
        return synced_.load(std::memory_order_acquire) < committed_.load(std::memory_order_acquire);
    }
    // Returns once every transaction committed() before this call is durable: at once when
    // none is pending. Errors: storage_error (the WAL file cannot be opened or synced).
    status sync();

private:
    // REQUIRES: mutex_ held.
    status open_if_needed();

    const std::string wal_path_;
    std::atomic<std::uint64_t> committed_{0};
    std::atomic<std::uint64_t> synced_{0};
    std::mutex mutex_;
    int fd_ = -1;  // GUARDED_BY(mutex_)
};

}  // namespace tribune

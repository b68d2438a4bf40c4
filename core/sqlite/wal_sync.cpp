#include "core/sqlite/wal_sync.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tribune {
namespace {

status sync_error(const std::string& what, const std::string& path) {
    return status::error(error_kind::internal, "storage_error",
                         what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

wal_sync::~wal_sync() {
    if (fd_ >= 0) ::close(fd_);
}

status wal_sync::open_if_needed() {
    struct stat by_path {};
    if (::stat(wal_path_.c_str(), &by_path) != 0) return sync_error("cannot find", wal_path_);
    if (fd_ >= 0) {
        struct stat by_fd {};
        // The same file: keep it. SQLite reuses its WAL file in place while the database is
        // open; a new file only comes after every connection closed it.
        if (::fstat(fd_, &by_fd) == 0 && by_fd.st_ino == by_path.st_ino &&
            by_fd.st_dev == by_path.st_dev)
            return status::ok();
        ::close(fd_);
        fd_ = -1;
    }
    fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return sync_error("cannot open", wal_path_);
    return status::ok();
}

status wal_sync::sync() {
    const std::uint64_t target = committed_.load(std::memory_order_acquire);
    if (synced_.load(std::memory_order_acquire) >= target) return status::ok();
    std::lock_guard lock(mutex_);
    // Another sync that started after `target` committed covered it meanwhile.
    if (synced_.load(std::memory_order_acquire) >= target) return status::ok();
    if (status s = open_if_needed(); !s) return s;
    if (::fsync(fd_) != 0) return sync_error("cannot sync", wal_path_);
    synced_.store(target, std::memory_order_release);
    return status::ok();
}

}  // namespace tribune

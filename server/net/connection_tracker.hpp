#pragma once
// connection_tracker: counts the open HTTP connections and the HTTP requests in flight, and
// tells the sessions when the server drains (graceful stop). Shared by the listener and
// every http_session, and kept alive by them (shared_ptr), since sessions may outlive the
// listener while the io_context is torn down.
//
// A request is "in flight" from the first byte read until its response has been written
// (or the connection failed). The graceful stop waits for the count to reach zero.
//
// Thread safety: every member is safe to call from any thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace tribune::server {

class connection_tracker {
public:
    void connection_opened() {
        std::lock_guard lock(mutex_);
        ++connections_;
    }
    void connection_closed() {
        std::lock_guard lock(mutex_);
        --connections_;
    }
    std::size_t connections() const {
        std::lock_guard lock(mutex_);
        return connections_;
    }

    void request_started() {
        std::lock_guard lock(mutex_);
        ++requests_;
    }
    void request_finished() {
        {
            std::lock_guard lock(mutex_);
            --requests_;
        }
        cv_.notify_all();
    }
    std::size_t requests_in_flight() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

    // From now on sessions answer with `Connection: close` and read no further request.
    void start_draining() {
        std::lock_guard lock(mutex_);
        draining_ = true;
    }
    bool draining() const {
        std::lock_guard lock(mutex_);
        return draining_;
    }

    // Blocks until no request is in flight; false when `deadline` passed first.
    bool wait_for_requests(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        return cv_.wait_until(lock, deadline, [this] { return requests_ == 0; });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::size_t connections_ = 0;  // GUARDED_BY(mutex_)
    std::size_t requests_ = 0;     // GUARDED_BY(mutex_)
    bool draining_ = false;        // GUARDED_BY(mutex_)
};

}  // namespace tribune::server

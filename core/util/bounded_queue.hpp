#pragma once
// bounded_queue<T>: a fixed-capacity multi-producer multi-consumer queue.
// Producers never block: try_push fails when the queue is full (the caller answers 503).
// Consumers block in pop_batch until items arrive or the queue is closed.
//
// Thread safety: all methods are safe to call concurrently.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace tribune {

template <typename T>
class bounded_queue {
public:
    explicit bounded_queue(std::size_t capacity) : capacity_(capacity) {}

    // False when full or closed; `item` is left untouched then.
    bool try_push(T& item) {
        {
            std::lock_guard lock(mutex_);
            if (closed_ || items_.size() >= capacity_) return false;
            items_.push_back(std::move(item));
        }
        cv_.notify_one();
        return true;
    }

    // Waits for at least one item, then takes up to `max` items. Returns an empty vector
    // only when the queue is closed and drained.
    std::vector<T> pop_batch(std::size_t max) {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return closed_ || !items_.empty(); });
        std::vector<T> out;
        while (!items_.empty() && out.size() < max) {
            out.push_back(std::move(items_.front()));
            items_.pop_front();
        }
        return out;
    }

    // After close(), try_push fails and pop_batch drains what is left, then returns empty.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_all();
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    std::size_t capacity() const { return capacity_; }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<T> items_;  // GUARDED_BY(mutex_)
    bool closed_ = false;  // GUARDED_BY(mutex_)
};

}  // namespace tribune

#pragma once
// bounded_queue<T>: a fixed-capacity multi-producer multi-consumer queue.
// try_push never blocks: it fails when the queue is full (the caller answers 503). push()
// waits for room instead: for the inner stages of a pipeline, where a full queue must slow
// the stage before it down (which in turn fills the queue that answers 503).
// Consumers block in pop_batch until items arrive or the queue is closed.
//
// Thread safety: all methods are safe to call concurrently.

#include <condition_variable>
#include <algorithm>
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

    // Waits while the queue is full, then adds `item`. False (item untouched) when closed.
    bool push(T& item) {
        {
            std::unique_lock lock(mutex_);
            room_.wait(lock, [this] { return closed_ || items_.size() < capacity_; });
            if (closed_) return false;
            items_.push_back(std::move(item));
        }
        cv_.notify_one();
        return true;
    }

    // Waits for at least one item, then takes up to `max` items. Returns an empty vector
    // only when the queue is closed and drained.
    std::vector<T> pop_batch(std::size_t max) {
        std::vector<T> out;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return closed_ || !items_.empty(); });
            out.reserve(std::min(max, items_.size()));
            while (!items_.empty() && out.size() < max) {
                out.push_back(std::move(items_.front()));
                items_.pop_front();
            }
        }
        if (!out.empty()) room_.notify_all();
        return out;
    }

    // After close(), try_push fails and pop_batch drains what is left, then returns empty.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_all();
        room_.notify_all();
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    std::size_t capacity() const { return capacity_; }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;    // items arrived, or closed
    std::condition_variable room_;  // items left, or closed
    std::deque<T> items_;  // GUARDED_BY(mutex_)
    bool closed_ = false;  // GUARDED_BY(mutex_)
};

}  // namespace tribune

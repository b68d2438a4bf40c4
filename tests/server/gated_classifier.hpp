#pragma once
// gated_classifier: a test-only classifier whose classify() blocks until the test opens a
// gate, so the ingest queue fills deterministically. Every text scores 0 (approved, or held
// in a pre-moderating event).
//
// Thread safety: classify() may run on any number of scoring workers; the gate's methods
// may be called from any thread. The test keeps a shared_ptr to the gate and must open it
// before stopping the server (stop() drains the queue through the classifier).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/classify/classifier.hpp"

namespace tribune::test {

class classifier_gate {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }

    // Waits until at least `n` classify() calls have started; false after `timeout`.
    bool wait_entered(std::size_t n, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, timeout, [&] { return entered_ >= n; });
    }

    std::size_t entered() const {
        std::lock_guard lock(mutex_);
        return entered_;
    }

    // Called by classify(): counts the call, then blocks while the gate is closed.
    void pass() {
        std::unique_lock lock(mutex_);
        ++entered_;
        cv_.notify_all();
        cv_.wait(lock, [this] { return open_; });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;        // GUARDED_BY(mutex_)
    std::size_t entered_ = 0;  // GUARDED_BY(mutex_)
};

class gated_classifier final : public classifier {
public:
    explicit gated_classifier(std::shared_ptr<classifier_gate> gate) : gate_(std::move(gate)) {}

    result<classification> classify(std::string_view) const override {
        gate_->pass();
        classification c;
        c.lang = "en";
        return c;
    }

    std::string name() const override { return "gated test classifier"; }

private:
    std::shared_ptr<classifier_gate> gate_;
};

}  // namespace tribune::test

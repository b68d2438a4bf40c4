#pragma once
// load_run: what the load tool's connections share — the posting schedule (open loop at a
// fixed rate, or closed loop), the request bodies, and the results they record.
//
// Open loop (rate > 0): ticket i is due at start + i / rate, whether or not a connection is
// free then; a ticket's latency is measured from when it was DUE, so a server that falls
// behind is charged for the wait (no coordinated omission). Closed loop (rate 0): a ticket
// is due when a connection takes it.
//
// Thread safety: take() and the recorders may be called from any thread; the per-ticket
// vectors are written once per ticket, by the one connection that took it; read them only
// after the io_context stopped.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bench/load/latency_histogram.hpp"

namespace tribune::bench {

using steady = std::chrono::steady_clock;

inline std::int64_t micros_between(steady::time_point a, steady::time_point b) {
    return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
}

struct ticket {
    std::size_t index = 0;
    steady::time_point due;
};

class load_run {
  public:
    // `bodies`: JSON objects, one per line, used in turn; each is sent with
    // "source":"load" and "external_id":"<prefix><ticket>" added.
    load_run(std::vector<std::string> bodies, std::string prefix, std::size_t total, double rate);

    // Starts the clock: ticket 0 is due now.
    void start();
    bool started() const { return started_.load(); }
    steady::time_point started_at() const { return start_; }
    // The next ticket, or none when every ticket was taken.
    std::optional<ticket> take();
    std::string body_of(std::size_t index) const;
    const std::string& prefix() const { return prefix_; }
    std::size_t total() const { return total_; }
    double rate() const { return rate_; }

    // A ticket answered with `status` at `at`; `id` is the question's id for 200/201.
    void answered(const ticket& t, steady::time_point sent, steady::time_point at, int status,
                  std::optional<std::int64_t> id);
    // A ticket that failed on the transport (the connection then reconnects).
    void failed(const ticket& t);
    // True once every ticket was answered or failed.
    bool done() const { return finished_.load() >= total_; }

    // When ticket i was answered (microseconds since start), -1 when not (yet).
    std::int64_t answered_at(std::size_t i) const {
        return i < answered_at_.size() ? answered_at_[i].load(std::memory_order_acquire) : -1;
    }
    // (question id, microseconds since start) of every question answered 200/201.
    std::vector<std::pair<std::int64_t, std::int64_t>> answered_ids() const;
    steady::time_point last_answer() const;

    latency_histogram from_due;   // response time from when the ticket was due
    latency_histogram from_sent;  // response time from when it was written
    std::atomic<std::uint64_t> created{0}, ok{0}, client_errors{0}, unavailable{0},
        server_errors{0}, transport_errors{0}, late_sends{0};

  private:
    const std::vector<std::string> bodies_;
    const std::string prefix_;
    const std::size_t total_;
    const double rate_;
    steady::time_point start_;
    std::atomic<bool> started_{false};
    std::atomic<std::size_t> next_{0};
    std::atomic<std::size_t> finished_{0};
    std::vector<std::atomic<std::int64_t>> answered_at_;
    mutable std::mutex ids_mutex_;
    std::vector<std::pair<std::int64_t, std::int64_t>> ids_;  // GUARDED_BY(ids_mutex_)
    steady::time_point last_answer_{};                          // GUARDED_BY(ids_mutex_)
};

}  // namespace tribune::bench

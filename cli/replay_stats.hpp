#pragma once
// replay_stats: what `tribune replay` has done so far: the counters the progress line and the
// summary show, the lines in error (with the server's message), and the two instants that time
// a run (first request written, last 201 received).
//
// Thread safety: every method may be called from any connection's strand and from the
// progress timer at once. Counters are atomics; the error list and the instants are under
// one mutex.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tribune::cli {

struct replay_error {
    std::size_t line = 0;
    unsigned http_status = 0;  // 0: the line was not sent (malformed) or never answered
    std::string code;          // the server's error code, or "malformed_line", "transport"
    std::string message;
};

class replay_stats {
public:
    using clock = std::chrono::steady_clock;

    explicit replay_stats(std::size_t total_lines);

    // A request is about to be written (the first for its line when `first_attempt`).
    void on_send(bool first_attempt);
    // The server stored the line: 201 (`created`) or 200 (already stored). `state` is the
    // question's status in the answer ("approved", "pending", ...; "" when unknown).
    void on_stored(bool created, const std::string& state);
    // 503 or 429: the line will be sent again.
    void on_retry();
    // A connection failed or timed out: it reconnects and sends the line again.
    void on_reconnect();
    // The line is given up (server refused it, or it is malformed and not sent).
    void on_error(replay_error e);
    // A line the source could not use (malformed): counted as skipped and as an error item.
    void on_skipped(replay_error e);

    // One progress line (no newline).
    std::string progress_line() const;
    // The human summary (several lines, each ending with '\n').
    std::string summary_text(bool interrupted) const;
    // The summary as one JSON object (no newline).
    std::string summary_json(bool interrupted) const;

    std::size_t errors() const { return errors_.load(); }
    std::size_t skipped() const { return skipped_.load(); }
    std::size_t stored() const { return created_.load() + existing_.load(); }

    // Errors kept in full for the summary; beyond, only counted.
    static constexpr std::size_t max_kept_errors = 1000;

private:
    double elapsed_s() const;

    const std::size_t total_lines_;
    const clock::time_point started_ = clock::now();
    std::atomic<std::size_t> sent_{0};      // lines sent at least once
    std::atomic<std::size_t> requests_{0};  // every request written, retries included
    std::atomic<std::size_t> created_{0};
    std::atomic<std::size_t> existing_{0};
    std::atomic<std::size_t> approved_{0};
    std::atomic<std::size_t> auto_rejected_{0};
    std::atomic<std::size_t> in_review_{0};  // pending or held
    std::atomic<std::size_t> other_state_{0};
    std::atomic<std::size_t> retries_{0};
    std::atomic<std::size_t> reconnects_{0};
    std::atomic<std::size_t> errors_{0};
    std::atomic<std::size_t> skipped_{0};

    mutable std::mutex mutex_;
    std::vector<replay_error> kept_errors_;            // GUARDED_BY(mutex_)
    std::optional<clock::time_point> first_send_;      // GUARDED_BY(mutex_)
    std::optional<clock::time_point> last_created_;    // GUARDED_BY(mutex_)
    mutable std::size_t last_done_ = 0;                // GUARDED_BY(mutex_), for the rate
    mutable clock::time_point last_progress_ = started_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune::cli

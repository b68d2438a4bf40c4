#pragma once
// replay_dispatcher: hands the lines of a replay_source to the connections in file order,
// each with the instant it is due (the pacing of `tribune replay`), and holds the run's stop
// state: interrupted (SIGINT) or aborted (a fatal answer such as 401, or the server lost).
//
// Malformed lines never leave the dispatcher: they are counted as skipped and reported.
//
// Thread safety: every method may be called from any thread; one mutex guards the source and
// the pacing state.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "cli/replay_console.hpp"
#include "cli/replay_options.hpp"
#include "cli/replay_source.hpp"
#include "cli/replay_stats.hpp"

namespace tribune::cli {

class replay_dispatcher {
public:
    using clock = std::chrono::steady_clock;

    struct ticket {
        replay_line line;
        clock::time_point due;  // send no earlier than this
    };

    replay_dispatcher(replay_source source, replay_pacing pacing, double rate, double speed,
                      replay_stats& stats, replay_console& console);

    // The next line to send; nullopt at the end of the file or once stopped.
    std::optional<ticket> take();

    // No more tickets (SIGINT). Lines already taken but not sent stay unsent.
    void stop();
    // Stops and records why the run cannot go on; the first message wins.
    void abort(const std::string& message);
    bool stopped() const;
    // The abort message, or nullopt when the run was not aborted.
    std::optional<std::string> aborted() const;

private:
    clock::time_point due_of(const replay_line& line);  // REQUIRES: mutex_ held

    const replay_pacing pacing_;
    const double rate_;
    const double speed_;
    replay_stats& stats_;
    replay_console& console_;

    mutable std::mutex mutex_;
    replay_source source_;                          // GUARDED_BY(mutex_)
    std::size_t dispatched_ = 0;                    // GUARDED_BY(mutex_)
    std::optional<clock::time_point> start_;        // GUARDED_BY(mutex_)
    std::optional<double> first_at_ms_;             // GUARDED_BY(mutex_)
    clock::time_point last_due_;                    // GUARDED_BY(mutex_)
    bool stopped_ = false;                          // GUARDED_BY(mutex_)
    std::optional<std::string> abort_message_;      // GUARDED_BY(mutex_)
};

}  // namespace tribune::cli

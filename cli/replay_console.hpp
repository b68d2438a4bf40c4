#pragma once
// replay_console: everything `tribune replay` writes to stderr while it runs: the progress
// line (redrawn in place a few times a second on a terminal, a plain line every few seconds
// otherwise) and one line per line in error, with its number and the server's message.
//
// Thread safety: every method may be called from any thread; one mutex keeps lines whole.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

#include "cli/replay_stats.hpp"

namespace tribune::cli {

class replay_console {
public:
    // `quiet`: no progress line (errors are still printed). The terminal is detected on
    // stderr.
    explicit replay_console(bool quiet);

    bool quiet() const { return quiet_; }
    // How often the progress line is refreshed.
    std::chrono::milliseconds interval() const;
    void progress(const std::string& line);
    // Prints "tribune replay: line N: ..." (the first max_printed_errors, then one note).
    void error(const replay_error& e);
    // Any other message, on a line of its own.
    void message(const std::string& line);
    // Ends an in-place progress line, so that what follows starts on a fresh line.
    void finish();

    static constexpr std::size_t max_printed_errors = 100;

private:
    void clear_line();  // REQUIRES: mutex_ held

    const bool quiet_;
    const bool tty_;
    std::mutex mutex_;
    bool line_open_ = false;          // GUARDED_BY(mutex_): a progress line is on screen
    std::size_t printed_errors_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace tribune::cli

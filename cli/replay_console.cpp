#include "cli/replay_console.hpp"

#include <unistd.h>

#include <iostream>

namespace tribune::cli {

replay_console::replay_console(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) == 1) {}

std::chrono::milliseconds replay_console::interval() const {
    return tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
}

void replay_console::clear_line() {
    if (line_open_) std::cerr << "\r\x1b[K";
    line_open_ = false;
}

void replay_console::progress(const std::string& line) {
    if (quiet_) return;
    std::lock_guard lock(mutex_);
    if (tty_) {
        std::cerr << "\r\x1b[K" << line << std::flush;
        line_open_ = true;
    } else {
        std::cerr << line << std::endl;
    }
}

void replay_console::error(const replay_error& e) {
    std::lock_guard lock(mutex_);
    ++printed_errors_;
    if (printed_errors_ > max_printed_errors + 1) return;
    clear_line();
    if (printed_errors_ == max_printed_errors + 1) {
        std::cerr << "tribune replay: further errors are counted, not printed (--json lists up to "
                  << replay_stats::max_kept_errors << ")" << std::endl;
        return;
    }
    std::cerr << "tribune replay: line " << e.line << ": ";
    if (e.http_status != 0) std::cerr << e.http_status << " " << e.code << ": ";
    std::string message = e.message;
    // The source's messages already start with "line N: ".
    if (const std::string prefix = "line " + std::to_string(e.line) + ": "; message.rfind(prefix, 0) == 0)
        message.erase(0, prefix.size());
    std::cerr << message << std::endl;
}

void replay_console::message(const std::string& line) {
    std::lock_guard lock(mutex_);
    clear_line();
    std::cerr << line << std::endl;
}

void replay_console::finish() {
    std::lock_guard lock(mutex_);
    if (line_open_) std::cerr << "\n" << std::flush;
    line_open_ = false;
}

}  // namespace tribune::cli

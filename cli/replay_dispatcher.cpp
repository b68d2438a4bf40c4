#include "cli/replay_dispatcher.hpp"

#include <utility>

namespace tribune::cli {

replay_dispatcher::replay_dispatcher(replay_source source, replay_pacing pacing, double rate,
                                     double speed, replay_stats& stats, replay_console& console)
    : pacing_(pacing),
      rate_(rate),
      speed_(speed),
      stats_(stats),
      console_(console),
      source_(std::move(source)) {}

std::optional<replay_dispatcher::ticket> replay_dispatcher::take() {
    std::lock_guard lock(mutex_);
    while (!stopped_) {
        auto item = source_.next();
        if (!item) return std::nullopt;
        if (!item->parsed) {
            replay_error e{item->number, 0, item->parsed.error().code(), item->parsed.error().message()};
            console_.error(e);
            stats_.on_skipped(std::move(e));
            continue;
        }
        if (!item->parsed.value()) continue;  // a blank line
        replay_line line = std::move(*item->parsed.value());
        if (!start_) start_ = clock::now();
        const clock::time_point due = due_of(line);
        ++dispatched_;
        return ticket{std::move(line), due};
    }
    return std::nullopt;
}

replay_dispatcher::clock::time_point replay_dispatcher::due_of(const replay_line& line) {
    using ms = std::chrono::duration<double, std::milli>;
    switch (pacing_) {
        case replay_pacing::max:
            return *start_;
        case replay_pacing::rate:
            return *start_ + std::chrono::duration_cast<clock::duration>(
                                 ms(1000.0 * static_cast<double>(dispatched_) / rate_));
        case replay_pacing::speed:
            if (line.at_ms) {
                if (!first_at_ms_) first_at_ms_ = line.at_ms;
                const double gap = (*line.at_ms - *first_at_ms_) / speed_;
                last_due_ = gap > 0 ? *start_ + std::chrono::duration_cast<clock::duration>(ms(gap))
                                    : *start_;
            } else if (dispatched_ == 0) {
                last_due_ = *start_;
            }
            return last_due_;  // a line without created_at goes right after the one before
    }
    return *start_;
}

void replay_dispatcher::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
}

void replay_dispatcher::abort(const std::string& message) {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    if (!abort_message_) abort_message_ = message;
}

bool replay_dispatcher::stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
}

std::optional<std::string> replay_dispatcher::aborted() const {
    std::lock_guard lock(mutex_);
    return abort_message_;
}

}  // namespace tribune::cli

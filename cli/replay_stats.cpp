#include "cli/replay_stats.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace tribune::cli {
namespace {

// 12345 -> "12,345"
std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double seconds_between(replay_stats::clock::time_point a, replay_stats::clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

}  // namespace

replay_stats::replay_stats(std::size_t total_lines) : total_lines_(total_lines) {}

double replay_stats::elapsed_s() const { return seconds_between(started_, clock::now()); }

void replay_stats::on_send(bool first_attempt) {
    ++requests_;
    if (!first_attempt) return;
    ++sent_;
    std::lock_guard lock(mutex_);
    if (!first_send_) first_send_ = clock::now();
}

void replay_stats::on_stored(bool created, const std::string& state) {
    if (created) {
        ++created_;
        std::lock_guard lock(mutex_);
        last_created_ = clock::now();
    } else {
        ++existing_;
    }
    if (state == "approved") ++approved_;
    else if (state == "auto_rejected") ++auto_rejected_;
    else if (state == "pending" || state == "held") ++in_review_;
    else ++other_state_;
}

void replay_stats::on_retry() { ++retries_; }

void replay_stats::on_reconnect() { ++reconnects_; }

void replay_stats::on_error(replay_error e) {
    ++errors_;
    std::lock_guard lock(mutex_);
    if (kept_errors_.size() < max_kept_errors) kept_errors_.push_back(std::move(e));
}

void replay_stats::on_skipped(replay_error e) {
    ++skipped_;
    std::lock_guard lock(mutex_);
    if (kept_errors_.size() < max_kept_errors) kept_errors_.push_back(std::move(e));
}

std::string replay_stats::progress_line() const {
    const std::size_t done = stored() + errors_.load();
    double rate = 0;
    {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        const double dt = seconds_between(last_progress_, now);
        if (dt > 0) rate = static_cast<double>(done - last_done_) / dt;
        last_done_ = done;
        last_progress_ = now;
    }
    const std::size_t total = total_lines_ > 0 ? total_lines_ : 1;
    const std::size_t handled = done + skipped_.load();
    std::string s = "replay " + fixed(100.0 * static_cast<double>(handled) / static_cast<double>(total), 0) +
                    "%  sent " + grouped(sent_.load()) + "/" + grouped(total_lines_) +
                    "  accepted " + grouped(stored()) + "  approved " + grouped(approved_.load()) +
                    "  auto-rejected " + grouped(auto_rejected_.load()) + "  in review " +
                    grouped(in_review_.load()) + "  errors " + grouped(errors_.load() + skipped_.load()) +
                    "  retries " + grouped(retries_.load()) + "  " + grouped(static_cast<std::size_t>(rate)) +
                    "/s  " + fixed(elapsed_s(), 0) + " s";
    return s;
}

std::string replay_stats::summary_text(bool interrupted) const {
    const double elapsed = elapsed_s();
    std::string s = "tribune replay: " + std::string(interrupted ? "interrupted after " : "") +
                    grouped(sent_.load()) + " of " + grouped(total_lines_) + " lines sent in " +
                    fixed(elapsed, 1) + " s (" +
                    grouped(static_cast<std::size_t>(elapsed > 0 ? static_cast<double>(stored()) / elapsed : 0)) +
                    " stored/s)\n";
    s += "  accepted " + grouped(stored()) + " (" + grouped(created_.load()) + " new, " +
         grouped(existing_.load()) + " already stored): approved " + grouped(approved_.load()) +
         ", auto-rejected " + grouped(auto_rejected_.load()) + ", in review " +
         grouped(in_review_.load()) + ", other states " + grouped(other_state_.load()) + "\n";
    s += "  errors " + grouped(errors_.load()) + ", malformed lines skipped " + grouped(skipped_.load()) +
         ", retries after 503/429 " + grouped(retries_.load()) + ", reconnects " +
         grouped(reconnects_.load()) + ", requests " + grouped(requests_.load()) + "\n";
    std::lock_guard lock(mutex_);
    if (first_send_ && last_created_)
        s += "  first request to last 201: " + fixed(seconds_between(*first_send_, *last_created_), 2) +
             " s\n";
    if (interrupted)
        s += "  run the same command again to send the rest; what was stored answers 200\n";
    return s;
}

std::string replay_stats::summary_json(bool interrupted) const {
    nlohmann::json j = {{"lines", total_lines_},
                        {"sent", sent_.load()},
                        {"requests", requests_.load()},
                        {"accepted", stored()},
                        {"created", created_.load()},
                        {"already_stored", existing_.load()},
                        {"approved", approved_.load()},
                        {"auto_rejected", auto_rejected_.load()},
                        {"in_review", in_review_.load()},
                        {"other_states", other_state_.load()},
                        {"errors", errors_.load()},
                        {"skipped", skipped_.load()},
                        {"retries", retries_.load()},
                        {"reconnects", reconnects_.load()},
                        {"interrupted", interrupted},
                        {"elapsed_s", elapsed_s()}};
    std::lock_guard lock(mutex_);
    j["first_request_to_last_201_s"] =
        first_send_ && last_created_ ? nlohmann::json(seconds_between(*first_send_, *last_created_)) : nlohmann::json();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : kept_errors_)
        items.push_back({{"line", e.line}, {"status", e.http_status}, {"code", e.code}, {"message", e.message}});
    j["error_items"] = std::move(items);
    return j.dump();
}

}  // namespace tribune::cli

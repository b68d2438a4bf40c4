#include "bench/load/load_run.hpp"

namespace tribune::bench {

load_run::load_run(std::vector<std::string> bodies, std::string prefix, std::size_t total,
                   double rate)
    : bodies_(std::move(bodies)),
      prefix_(std::move(prefix)),
      total_(total),
      rate_(rate),
      answered_at_(total) {
    for (auto& a : answered_at_) a.store(-1, std::memory_order_relaxed);
    ids_.reserve(total);
}

void load_run::start() {
    start_ = steady::now();
    started_.store(true);
}

std::optional<ticket> load_run::take() {
    const std::size_t i = next_.fetch_add(1);
    if (i >= total_) return std::nullopt;
    ticket t{i, steady::now()};
    if (rate_ > 0)
        t.due = start_ + std::chrono::duration_cast<steady::duration>(
                             std::chrono::duration<double>(static_cast<double>(i) / rate_));
    return t;
}

std::string load_run::body_of(std::size_t index) const {
    const std::string& b = bodies_[index % bodies_.size()];
    std::string out(b, 0, b.rfind('}'));
    out += ",\"source\":\"load\",\"external_id\":\"";
    out += prefix_;
    out += std::to_string(index);
    out += "\"}";
    return out;
}

void load_run::answered(const ticket& t, steady::time_point sent, steady::time_point at,
                        int status, std::optional<std::int64_t> id) {
    from_due.record(micros_between(t.due, at));
    from_sent.record(micros_between(sent, at));
    if (sent - t.due > std::chrono::milliseconds(1)) late_sends.fetch_add(1);
    if (status == 201) created.fetch_add(1);
    else if (status == 200) ok.fetch_add(1);
    else if (status == 503) unavailable.fetch_add(1);
    else if (status >= 500) server_errors.fetch_add(1);
    else client_errors.fetch_add(1);
    const std::int64_t us = micros_between(start_, at);
    if (status == 200 || status == 201) answered_at_[t.index].store(us, std::memory_order_release);
    {
        std::lock_guard lock(ids_mutex_);
        if (id) ids_.emplace_back(*id, us);
        if (at > last_answer_) last_answer_ = at;
    }
    finished_.fetch_add(1);
}

void load_run::failed(const ticket&) {
    transport_errors.fetch_add(1);
    finished_.fetch_add(1);
}

std::vector<std::pair<std::int64_t, std::int64_t>> load_run::answered_ids() const {
    std::lock_guard lock(ids_mutex_);
    return ids_;
}

steady::time_point load_run::last_answer() const {
    std::lock_guard lock(ids_mutex_);
    return last_answer_;
}

}  // namespace tribune::bench

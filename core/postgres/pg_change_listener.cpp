#include "core/postgres/pg_change_listener.hpp"

#include <poll.h>

#include <charconv>
#include <chrono>

#include "core/util/split.hpp"

namespace tribune {

status pg_change_listener::listen() {
    auto c = pg_connection::open(store_.url());
    if (!c) return c.error();
    conn_ = std::move(c.value());
    return conn_.run(std::string("LISTEN ") + postgres_store::change_channel, {}, "listen");
}

status pg_change_listener::start(event_sink& sink) {
    if (thread_.joinable()) return status::ok();
    if (status s = listen(); !s) return s;
    stopping_ = false;
    thread_ = std::thread([this, &sink] { run(sink); });
    return status::ok();
}

void pg_change_listener::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void pg_change_listener::run(event_sink& sink) {
    using namespace std::chrono_literals;
    while (!stopping_) {
        if (!conn_.ok()) {
            if (!listen()) {
                for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(100ms);
                continue;
            }
        }
        pollfd p{conn_.socket(), POLLIN, 0};
        // A short timeout: stop() is noticed within it.
        if (::poll(&p, 1, 200) < 0) continue;
        if (!conn_.consume_input()) {
            conn_.reset();
            if (conn_.ok()) conn_.run(std::string("LISTEN ") + postgres_store::change_channel);
            continue;
        }
        while (auto n = conn_.next_notification()) {
            if (store_.is_own_backend(n->sender_pid)) continue;
            deliver(sink, n->payload);
        }
    }
}

void pg_change_listener::deliver(event_sink& sink, const std::string& payload) {
    // "id|created" or "id|updated|from|actor" (the actor may itself contain '|').
    const auto parts = split_nonempty(payload, '|');
    if (parts.size() < 2) return;
    std::int64_t id = 0;
    const std::string& digits = parts[0];
    if (std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc{}) return;
    auto q = store_.get_question(id);
    if (!q) return;  // unreadable now: its next change or a resync shows it
    question_change c;
    c.q = std::move(q.value());
    if (parts[1] == "created") {
        c.kind = change_kind::created;
    } else {
        c.kind = change_kind::updated;
        if (parts.size() >= 3) c.from = status_from_string(parts[2]);
        const auto actor_at = payload.find('|', payload.find('|', payload.find('|') + 1) + 1);
        if (actor_at != std::string::npos) c.actor = payload.substr(actor_at + 1);
    }
    sink.question_changed(c);
}

}  // namespace tribune

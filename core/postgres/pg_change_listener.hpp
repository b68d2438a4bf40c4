#pragma once
// pg_change_listener: the change_source of a PostgreSQL database shared by several Tribune
// instances. On its own connection it LISTENs on postgres_store::change_channel; each
// notification another instance's transaction sent at COMMIT ("id|created" or
// "id|updated|from|actor", pg_rows::notify_change) is read back as the question it names
// and handed to the sink as a question_change. Notifications from this process's own store
// connections are skipped: the service announced those itself.
//
// A lost connection (PostgreSQL restarted) is re-established every second; changes committed
// while it was down are not replayed (dashboards on this instance see them on their next
// snapshot or resync, not live).
//
// Thread safety: start() and stop() from one thread; the sink is called from the listener's
// own thread. Ownership: borrows the store, which outlives it.

#include <atomic>
#include <thread>

#include "core/postgres/postgres_store.hpp"
#include "core/store/change_source.hpp"

namespace tribune {

class pg_change_listener final : public change_source {
public:
    explicit pg_change_listener(postgres_store& store) : store_(store) {}
    ~pg_change_listener() override { stop(); }
    pg_change_listener(const pg_change_listener&) = delete;
    pg_change_listener& operator=(const pg_change_listener&) = delete;

    status start(event_sink& sink) override;
    void stop() override;

private:
    // Connects and LISTENs. Errors: unavailable.
    status listen();
    void run(event_sink& sink);
    // Reads one notification's question and hands the change to the sink.
    void deliver(event_sink& sink, const std::string& payload);

    postgres_store& store_;
    pg_connection conn_;  // used by the listener thread only (after start())
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace tribune

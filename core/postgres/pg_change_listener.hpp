#pragma once
// pg_change_listener: the change_source of a PostgreSQL database shared by several Tribune
// instances. On its own connection it LISTENs on postgres_store::change_channel; each
// notification a transaction sent at COMMIT ("event_id|seq|payload", pg_rows::log_change) is
// read back — the question it names, or the event's shortlist — and handed to the sink with
// its number. A question read back after a later change of it is shown with the state and
// version this change gave it (the payload names them), so that every change is delivered
// with its own version and the hubs' counts move by what each change did. Changes of every process, this one's included, arrive here; a number already
// delivered is skipped.
//
// What it may have missed is read from event_changes: after a lost connection (PostgreSQL
// restarted) is re-established (tried every second), and whenever a notification's number
// is not the next one of its event. Rows older than a day are pruned (once an hour).
//
// Thread safety: open(), start() and stop() from one thread; epoch() and positions() after
// open() returned; announce() from any thread (the store's pool); the sink is called from
// the listener's own thread. Ownership: borrows the store, which outlives it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/postgres/postgres_store.hpp"
#include "core/store/change_source.hpp"

namespace tribune {

class pg_change_listener final : public change_source {
public:
    explicit pg_change_listener(postgres_store& store) : store_(store) {}
    ~pg_change_listener() override { stop(); }
    pg_change_listener(const pg_change_listener&) = delete;
    pg_change_listener& operator=(const pg_change_listener&) = delete;

    status open() override;
    const std::string& epoch() const override { return epoch_; }
    std::vector<std::pair<std::string, std::uint64_t>> positions() const override;
    status start(numbered_sink& sink) override;
    void stop() override;
    status announce(const shortlist_change& change) override;
    // Kept in one slot; the listener thread sends it on its own connection (NOTIFY on
    // presence_channel) at its next turn, within 200 ms.
    status announce_presence(std::string message) override;
    static constexpr const char* presence_channel = "tribune_presence";

private:
    struct event_position {
        std::string slug;
        std::uint64_t seq = 0;  // the last number delivered (or known at open())
    };

    // Connects and LISTENs. Errors: unavailable.
    status listen();
    void run(numbered_sink& sink);
    // Delivers every change numbered after what was delivered, read from event_changes.
    // Errors: unavailable (the connection is lost; tried again after reconnecting).
    status catch_up(numbered_sink& sink);
    // Delivers the changes of `event_id` numbered after its position, from event_changes.
    status catch_up_event(numbered_sink& sink, std::int64_t event_id);
    // Handles one notification "event_id|seq|payload".
    void on_notification(numbered_sink& sink, const std::string& notification);
    // Reads the change `payload` names back and hands it to the sink, numbered `seq`; false
    // (nothing delivered, the position kept) when the database cannot be read now.
    bool deliver(numbered_sink& sink, std::int64_t event_id, std::uint64_t seq,
                 const std::string& payload);
    // The position of `event_id`, its slug read when it is new. Null when unreadable.
    event_position* position_of(std::int64_t event_id);
    void prune_now_and_then();
    // Sends the pending presence message, if any (listener thread). A message that cannot be
    // sent now is dropped: its sender repeats it (heartbeat).
    void send_presence();

    postgres_store& store_;
    pg_connection conn_;  // used by the listener thread only (after start())
    std::string epoch_;
    // Written by open() and then by the listener thread only.
    std::unordered_map<std::int64_t, event_position> positions_;
    std::chrono::steady_clock::time_point last_prune_{};
    bool behind_ = false;  // listener thread only: changes may be unread (catch_up() next)
    std::atomic<bool> stopping_{false};
    std::mutex presence_mutex_;
    std::optional<std::string> presence_pending_;  // GUARDED_BY(presence_mutex_)
    std::thread thread_;
};

}  // namespace tribune

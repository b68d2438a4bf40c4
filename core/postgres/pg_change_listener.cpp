#include "core/postgres/pg_change_listener.hpp"

#include <poll.h>

#include <charconv>

#include "core/postgres/pg_rows.hpp"
#include "core/util/split.hpp"

namespace tribune {
namespace {

constexpr auto prune_every = std::chrono::hours(1);
constexpr timestamp_ms keep_changes_ms = 24LL * 3600 * 1000;

template <typename T>
bool parse_number(std::string_view digits, T& out) {
    return std::from_chars(digits.data(), digits.data() + digits.size(), out).ec == std::errc{};
}

// Whether a read failed because the database is unreachable (worth retrying later).
bool unreachable(const status& s) { return s.kind() == error_kind::unavailable; }

}  // namespace

status pg_change_listener::listen() {
    auto c = pg_connection::open(store_.url());
    if (!c) return c.error();
    conn_ = std::move(c.value());
    if (status st = conn_.run(std::string("LISTEN ") + postgres_store::change_channel, {}, "listen"); !st)
        return st;
    return conn_.run(std::string("LISTEN ") + presence_channel, {}, "listen");
}

status pg_change_listener::open() {
    // LISTEN before reading the positions: a change committed in between is both counted in
    // them and notified, and its notification is skipped by number.
    if (status s = listen(); !s) return s;
    auto e = conn_.exec("SELECT epoch FROM stream_epoch", {}, "read stream epoch");
    if (!e) return e.error();
    if (e->empty())
        return status::error(error_kind::internal, "storage_error", "stream_epoch is empty");
    epoch_ = e->text(0, 0);
    auto r = conn_.exec("SELECT s.event_id, e.slug, s.seq FROM event_sequences s "
                        "JOIN events e ON e.id = s.event_id",
                        {}, "read stream positions");
    if (!r) return r.error();
    positions_.clear();
    for (int i = 0; i < r->rows(); ++i)
        positions_[r->integer(i, 0)] = {r->text(i, 1), static_cast<std::uint64_t>(r->integer(i, 2))};
    return status::ok();
}

std::vector<std::pair<std::string, std::uint64_t>> pg_change_listener::positions() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const auto& [id, p] : positions_) out.emplace_back(p.slug, p.seq);
    return out;
}

status pg_change_listener::start(numbered_sink& sink) {
    if (thread_.joinable()) return status::ok();
    if (!conn_.ok()) {
        if (status s = open(); !s) return s;
    }
    stopping_ = false;
    thread_ = std::thread([this, &sink] { run(sink); });
    return status::ok();
}

void pg_change_listener::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

status pg_change_listener::announce(const shortlist_change& change) {
    return store_.announce_shortlist(change);
}

status pg_change_listener::announce_presence(std::string message) {
    if (message.size() > max_presence_message)
        return status::error(error_kind::invalid_argument, "presence_too_long",
                             "a presence message is at most " +
                                 std::to_string(max_presence_message) + " bytes");
    std::lock_guard lock(presence_mutex_);
    presence_pending_ = std::move(message);
    return status::ok();
}

void pg_change_listener::send_presence() {
    std::optional<std::string> message;
    {
        std::lock_guard lock(presence_mutex_);
        message.swap(presence_pending_);
    }
    if (!message) return;
    (void)conn_.run("SELECT pg_notify($1, $2)", pg_params().add(std::string(presence_channel)).add(*message),
                    "announce presence");
}

void pg_change_listener::run(numbered_sink& sink) {
    using namespace std::chrono_literals;
    behind_ = true;  // what was committed since open() is unread
    const auto pause = [this] {
        for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(100ms);
    };
    while (!stopping_) {
        if (!conn_.ok() && !listen()) {
            pause();
            continue;
        }
        if (behind_) {
            // Notifications received meanwhile wait on the connection; those already
            // delivered from the table are skipped by number.
            behind_ = !catch_up(sink);
            if (behind_) {
                pause();  // then catch up again (reconnecting first if the connection broke)
                continue;
            }
        }
        prune_now_and_then();
        pollfd p{conn_.socket(), POLLIN, 0};
        // A short timeout: stop() is noticed within it.
        if (::poll(&p, 1, 200) < 0) continue;
        if (!conn_.consume_input()) {
            conn_ = {};  // reconnected above, then caught up
            behind_ = true;
            continue;
        }
        while (auto n = conn_.next_notification()) {
            if (n->channel == presence_channel) sink.presence_announced(n->payload);
            else on_notification(sink, n->payload);
        }
        send_presence();
    }
    if (conn_.ok()) send_presence();  // the last word (app::stop: an empty listing)
}

status pg_change_listener::catch_up(numbered_sink& sink) {
    auto r = conn_.exec("SELECT event_id, seq FROM event_sequences", {}, "read stream positions");
    if (!r) return r.error();
    for (int i = 0; i < r->rows(); ++i) {
        event_position* at = position_of(r->integer(i, 0));
        if (at == nullptr) return status::error(error_kind::unavailable, "database_unavailable",
                                                "event unreadable");
        if (static_cast<std::uint64_t>(r->integer(i, 1)) <= at->seq) continue;
        if (status s = catch_up_event(sink, r->integer(i, 0)); !s) return s;
    }
    return status::ok();
}

status pg_change_listener::catch_up_event(numbered_sink& sink, std::int64_t event_id) {
    event_position* at = position_of(event_id);
    if (at == nullptr)
        return status::error(error_kind::unavailable, "database_unavailable", "event unreadable");
    auto r = conn_.exec("SELECT seq, payload FROM event_changes WHERE event_id = $1 AND seq > $2 "
                        "ORDER BY seq",
                        pg_params().add(event_id).add(static_cast<std::int64_t>(at->seq)),
                        "read missed changes");
    if (!r) return r.error();
    for (int i = 0; i < r->rows(); ++i) {
        const auto seq = static_cast<std::uint64_t>(r->integer(i, 0));
        if (!deliver(sink, event_id, seq, r->text(i, 1)))
            return status::error(error_kind::unavailable, "database_unavailable",
                                 "a missed change is unreadable now");
    }
    return status::ok();
}

void pg_change_listener::on_notification(numbered_sink& sink, const std::string& notification) {
    // "event_id|seq|payload"
    const auto first = notification.find('|');
    const auto second = first == std::string::npos ? first : notification.find('|', first + 1);
    if (second == std::string::npos) return;
    std::int64_t event_id = 0;
    std::uint64_t seq = 0;
    if (!parse_number(std::string_view(notification).substr(0, first), event_id) ||
        !parse_number(std::string_view(notification).substr(first + 1, second - first - 1), seq))
        return;
    event_position* at = position_of(event_id);
    if (at == nullptr || seq <= at->seq) return;  // unreadable now (caught up later) or seen
    if (seq == at->seq + 1) {
        if (!deliver(sink, event_id, seq, notification.substr(second + 1))) behind_ = true;
        return;
    }
    // A number went missing (never expected: NOTIFY keeps commit order): read it back.
    if (!catch_up_event(sink, event_id)) behind_ = true;
}

bool pg_change_listener::deliver(numbered_sink& sink, std::int64_t event_id, std::uint64_t seq,
                                 const std::string& payload) {
    event_position* at = position_of(event_id);
    if (at == nullptr) return false;
    // "id|new|state|version", "id|moved|from|state|version|actor" or
    // "s|action|question_id|actor" (the actor may itself contain '|'); "id|created" and
    // "id|updated|from|actor" from instances of an earlier version (no state: the question is
    // shown as read back).
    const auto parts = split_nonempty(payload, '|');
    at->seq = seq;  // (put back below when the change cannot be read now)
    if (parts.size() < 2) return true;
    const auto actor_after = [&](int bars) { return std::string(pg_rows::payload_after(payload, bars)); };
    if (parts[0] == "s") {
        shortlist_change c;
        c.event = at->slug;
        c.action = parts[1];
        if (parts.size() >= 3) parse_number(parts[2], c.question_id);
        c.actor = actor_after(3);
        auto entries = store_.shortlist(event_id);
        if (!entries && unreachable(entries.error())) {
            at->seq = seq - 1;  // read again on catching up
            return false;
        }
        if (entries) c.entries = std::move(*entries);
        sink.shortlist_changed(c, seq);
        return true;
    }
    std::int64_t id = 0;
    if (!parse_number(parts[0], id)) return true;
    auto q = store_.get_question(id);
    if (!q && unreachable(q.error())) {
        at->seq = seq - 1;  // read again on catching up
        return false;
    }
    if (!q) return true;  // gone: nothing to show
    question_change c;
    c.q = std::move(q.value());
    // What the change made of the question: a later change may already be read back. The
    // state and version are shown as of this change (the hub counts states by them, and a
    // client applies changes by version); the other fields are as read back.
    const auto as_of = [&](const std::string& state, const std::string& version) {
        std::int64_t v = 0;
        const auto s = status_from_string(state);
        if (s && parse_number(version, v) && v < c.q.version) {
            c.q.status = *s;
            c.q.version = v;
        }
    };
    if (parts[1] == "new") {
        c.kind = change_kind::created;
        if (parts.size() >= 4) as_of(parts[2], parts[3]);
    } else if (parts[1] == "moved") {
        c.kind = change_kind::updated;
        if (parts.size() >= 3) c.from = status_from_string(parts[2]);
        if (parts.size() >= 5) as_of(parts[3], parts[4]);
        c.actor = actor_after(5);
    } else if (parts[1] == "created") {
        c.kind = change_kind::created;
    } else {
        c.kind = change_kind::updated;
        if (parts.size() >= 3) c.from = status_from_string(parts[2]);
        c.actor = actor_after(3);
    }
    sink.question_changed(c, seq);
    return true;
}

pg_change_listener::event_position* pg_change_listener::position_of(std::int64_t event_id) {
    if (auto it = positions_.find(event_id); it != positions_.end()) return &it->second;
    // An event created since: numbered from 1.
    auto r = conn_.exec("SELECT slug FROM events WHERE id = $1", pg_params().add(event_id),
                        "read event");
    if (!r || r->empty()) return nullptr;
    return &(positions_[event_id] = {r->text(0, 0), 0});
}

void pg_change_listener::prune_now_and_then() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_prune_ < prune_every) return;
    last_prune_ = now;
    (void)store_.prune_changes(pg_rows::now_ms() - keep_changes_ms);
}

}  // namespace tribune

#include "server/hub.hpp"

#include <algorithm>

#include <vector>

#include <random>

#include "server/json_codec.hpp"
#include "server/websocket_session.hpp"

namespace tribune::server {
namespace {

std::string random_epoch() {
    std::random_device rd;
    std::uniform_int_distribution<int> d(0, 35);
    std::string s;
    for (int i = 0; i < 10; ++i) s += "0123456789abcdefghijklmnopqrstuvwxyz"[d(rd)];
    return s;
}

std::size_t index_of(question_status s) { return static_cast<std::size_t>(s); }

}  // namespace

hub::hub(std::size_t history_per_event)
    : history_limit_(history_per_event), epoch_(random_epoch()) {}

void hub::question_changed(const question_change& change) {
    // Encode and copy outside the lock; only the number and the counts are set under it.
    const std::string body = change_message(change).dump();  // "{...}"
    auto rec = std::make_shared<change_record>();
    rec->change = change;
    // Sessions locked below are released only after the mutex: the last reference to a
    // session that just disconnected runs its destructor, which calls leave() and takes the
    // mutex again.
    std::vector<std::shared_ptr<websocket_session>> alive;
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(change.q.event);
    rec->seq = ++ch.seq;
    rec->message.reserve(body.size() + 24);
    rec->message += "{\"seq\":";
    rec->message += std::to_string(rec->seq);
    rec->message += ',';
    rec->message.append(body, 1, std::string::npos);
    if (ch.counted) {
        if (change.from) --ch.counts[index_of(*change.from)];
        ++ch.counts[index_of(change.q.status)];
        rec->counts = ch.counts;
        rec->counted = true;
    }
    std::shared_ptr<const change_record> shared = std::move(rec);
    ch.history.push_back(shared);
    while (ch.history.size() > history_limit_) ch.history.pop_front();
    for (auto it = ch.sessions.begin(); it != ch.sessions.end();) {
        if (auto s = it->second.lock()) {
            s->deliver(shared);
            alive.push_back(std::move(s));
            ++it;
        } else {
            it = ch.sessions.erase(it);
            --clients_;
        }
    }
}

hub::channel& hub::channel_for(const std::string& event) {
    auto [it, created] = channels_.try_emplace(event);
    // After seed_counts(), an event the hub has not seen was created since: every one of its
    // questions is still to be announced, so it starts from zero, exactly.
    if (created && seeded_all_) it->second.counted = true;
    return it->second;
}

void hub::seed(channel& ch, const std::string& event, store& db) {
    if (ch.counted) return;
    auto ev = db.find_event(event);
    if (!ev) return;
    auto counts = db.count_by_status(ev->id);
    if (!counts) return;
    ch.counts = {};
    for (const auto& [s, n] : *counts) ch.counts[index_of(s)] = n;
    ch.counted = true;
    ch.counted_from = ch.seq;
}

void hub::seed_counts(store& db) {
    auto events = db.list_events();
    if (!events) return;
    std::lock_guard lock(mutex_);
    for (const event_info& e : *events) seed(channels_[e.slug], e.slug, db);
    seeded_all_ = true;
}

hub::position hub::join(const std::string& event, const std::shared_ptr<websocket_session>& s,
                        std::optional<std::uint64_t> since, const std::string& epoch,
                        store& db) {
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    // Under the lock, so no change is counted between the read and the first count.
    seed(ch, event, db);
    if (ch.sessions.emplace(s.get(), s).second) ++clients_;
    position p;
    p.seq = ch.seq;
    p.counts = ch.counts;
    p.counted = ch.counted;
    const bool history_covers =
        since && epoch == epoch_ && ch.counted && *since >= ch.counted_from && *since <= ch.seq &&
        (*since == ch.seq ||
         (!ch.history.empty() && ch.history.front()->seq <= *since + 1));
    if (history_covers) {
        p.missed.emplace();
        for (const auto& r : ch.history)
            if (r->seq > *since) p.missed->push_back(r);
    }
    return p;
}

void hub::leave(const std::string& event, const websocket_session* s) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(event);
    if (it == channels_.end()) return;
    if (it->second.sessions.erase(s) > 0) --clients_;
}

void hub::close_all() {
    std::vector<std::shared_ptr<websocket_session>> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [name, ch] : channels_)
            for (auto& [key, weak] : ch.sessions)
                if (auto s = weak.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->close_going_away();
}

std::size_t hub::client_count() const {
    std::lock_guard lock(mutex_);
    return clients_;
}

void hub::revoke(std::int64_t token_id) {
    std::vector<std::shared_ptr<websocket_session>> hit;
    {
        std::lock_guard lock(mutex_);
        for (auto& [name, ch] : channels_)
            for (auto& [key, weak] : ch.sessions)
                if (auto s = weak.lock(); s && s->token_id() == token_id) hit.push_back(std::move(s));
    }
    for (auto& s : hit) s->close_revoked();
}

std::vector<std::int64_t> hub::token_ids() const {
    std::vector<std::int64_t> out;
    std::vector<std::shared_ptr<websocket_session>> alive;  // released after the lock
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, ch] : channels_)
            for (const auto& [key, weak] : ch.sessions)
                if (auto s = weak.lock()) {
                    if (s->token_id() != 0) out.push_back(s->token_id());
                    alive.push_back(std::move(s));
                }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace tribune::server

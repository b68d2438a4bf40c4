#include "server/live/hub.hpp"

#include <algorithm>

#include <vector>

#include <random>

#include "core/domain/role.hpp"
#include "server/wire/json_codec.hpp"
#include "server/wire/stream_codec.hpp"
#include "server/live/websocket_session.hpp"

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

// Streams opened with these roles are listed among the moderators online.
bool listed_role(role r) { return r == role::admin || r == role::moderator; }

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
    if (change.kind == change_kind::created) ch.arrivals.add(clock::now());
    std::shared_ptr<const change_record> shared = std::move(rec);
    ch.history.push_back(shared);
    while (ch.history.size() > history_limit_) ch.history.pop_front();
    for (auto it = ch.sessions.begin(); it != ch.sessions.end();) {
        if (auto s = it->second.session.lock()) {
            s->deliver(shared);
            alive.push_back(std::move(s));
            ++it;
        } else {
            // Gone without leave() yet (its destructor is about to call it and publish).
            if (unlist(ch, it->second)) ch.online_changed = true;
            if (it->second.view) --ch.views;
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
    session_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    // Under the lock, so no change is counted between the read and the first count.
    seed(ch, event, db);
    if (add_member(ch, s)) publish_activity(ch, event, clock::now(), alive);
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

void hub::attend(const std::string& event, const std::shared_ptr<websocket_session>& s) {
    session_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    if (add_member(ch, s)) publish_activity(ch, event, clock::now(), alive);
}

bool hub::add_member(channel& ch, const std::shared_ptr<websocket_session>& s) {
    member m;
    m.session = s;
    m.view = s->view_protocol();
    if (listed_role(s->token_role()) && !s->token_name().empty()) {
        m.listed_as = s->token_name();
        m.admin = s->token_role() == role::admin;
    }
    auto [it, added] = ch.sessions.try_emplace(s.get(), std::move(m));
    if (!added) return false;
    ++clients_;
    if (it->second.view) ++ch.views;
    if (it->second.listed_as.empty()) return false;
    presence& p = ch.online[it->second.listed_as];
    ++(it->second.admin ? p.admins : p.moderators);
    ch.online_changed = true;
    return true;
}

bool hub::unlist(channel& ch, member& m) {
    if (m.listed_as.empty()) return false;
    auto it = ch.online.find(m.listed_as);
    if (it != ch.online.end()) {
        std::uint64_t& n = m.admin ? it->second.admins : it->second.moderators;
        if (n > 0) --n;
        if (it->second.admins == 0 && it->second.moderators == 0) ch.online.erase(it);
    }
    m.listed_as.clear();
    return true;
}

void hub::leave(const std::string& event, const websocket_session* s) {
    session_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    auto it = channels_.find(event);
    if (it == channels_.end()) return;
    channel& ch = it->second;
    if (auto m = ch.sessions.find(s); m != ch.sessions.end()) {
        if (unlist(ch, m->second)) ch.online_changed = true;
        if (m->second.view) --ch.views;
        ch.sessions.erase(m);
        --clients_;
    }
    // Also when question_changed() found this session expired and took it off the list.
    publish_activity(ch, event, clock::now(), alive);
}

std::shared_ptr<const activity_record> hub::activity(const std::string& event) {
    std::lock_guard lock(mutex_);
    return current_activity(channel_for(event), event, clock::now());
}

void hub::tick_activity() {
    session_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    for (auto& [event, ch] : channels_) publish_activity(ch, event, now, alive);
}

std::shared_ptr<const activity_record> hub::current_activity(channel& ch, const std::string& event,
                                                             clock::time_point now) {
    const std::uint64_t arrivals = ch.arrivals.count(now);
    if (ch.activity && !ch.online_changed && ch.activity->arrivals_per_minute == arrivals)
        return ch.activity;
    // A few names: cheap enough to encode under the lock, and done only when they or the
    // arrivals changed, never per question.
    std::vector<online_moderator> list;
    list.reserve(ch.online.size());
    for (const auto& [name, p] : ch.online)
        list.push_back(
            {name, p.admins > 0 ? role::admin : role::moderator, p.admins + p.moderators});
    auto rec = std::make_shared<activity_record>();
    rec->version = ++activity_version_;
    rec->arrivals_per_minute = arrivals;
    rec->message = activity_message(event, list, arrivals);
    ch.activity = std::move(rec);
    ch.online_changed = false;
    return ch.activity;
}

void hub::publish_activity(channel& ch, const std::string& event, clock::time_point now,
                           session_list& alive) {
    if (closed_) return;        // every session is closing: nothing more to tell them
    if (ch.views == 0) return;  // nobody to tell; the next activity() builds it anew
    auto rec = current_activity(ch, event, now);
    if (rec->version == ch.published_version) return;  // they have it
    ch.published_version = rec->version;
    for (auto& [key, m] : ch.sessions) {
        if (!m.view) continue;
        if (auto s = m.session.lock()) {
            s->deliver_activity(rec);
            alive.push_back(std::move(s));
        }
    }
}

void hub::close_all() {
    std::vector<std::shared_ptr<websocket_session>> all;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (auto& [name, ch] : channels_)
            for (auto& [key, m] : ch.sessions)
                if (auto s = m.session.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->close_going_away();
}

std::size_t hub::client_count() const {
    std::lock_guard lock(mutex_);
    return clients_;
}

void hub::revoke(std::int64_t token_id) {
    session_list hit;    // closed, then released, after the lock
    session_list alive;  // released after the lock
    {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        for (auto& [name, ch] : channels_) {
            bool unlisted = false;
            for (auto& [key, m] : ch.sessions)
                if (auto s = m.session.lock(); s && s->token_id() == token_id) {
                    // Off the list at once, and no more activity: it is closing.
                    unlisted = unlist(ch, m) || unlisted;
                    if (m.view) --ch.views;
                    m.view = false;
                    hit.push_back(std::move(s));
                }
            if (unlisted) {
                ch.online_changed = true;
                publish_activity(ch, name, now, alive);
            }
        }
    }
    for (auto& s : hit) s->close_revoked();
}

std::vector<std::int64_t> hub::token_ids() const {
    std::vector<std::int64_t> out;
    std::vector<std::shared_ptr<websocket_session>> alive;  // released after the lock
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, ch] : channels_)
            for (const auto& [key, m] : ch.sessions)
                if (auto s = m.session.lock()) {
                    if (s->token_id() != 0) out.push_back(s->token_id());
                    alive.push_back(std::move(s));
                }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace tribune::server

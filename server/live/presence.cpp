#include "server/live/presence.hpp"

#include <algorithm>

#include "server/wire/stream_codec.hpp"

namespace tribune::server {
namespace {

// Streams opened with these roles are listed among the moderators online.
bool listed_role(role r) { return r == role::admin || r == role::moderator; }

}  // namespace

void presence::open(const std::string& event, const std::shared_ptr<stream_subscriber>& s) {
    subscriber_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    channel& ch = channels_[event];
    member m;
    m.stream = s;
    m.view = s->receives_activity();
    const stream_identity& who = s->identity();
    if (listed_role(who.r) && !who.name.empty()) {
        m.listed_as = who.name;
        m.admin = who.r == role::admin;
    }
    auto [it, added] = ch.members.try_emplace(s.get(), std::move(m));
    if (!added) return;
    ++clients_;
    if (it->second.view) ++ch.views;
    if (it->second.listed_as.empty()) return;
    online_count& n = ch.online[it->second.listed_as];
    ++(it->second.admin ? n.admins : n.moderators);
    ch.online_changed = true;
    publish(ch, event, clock::now(), alive);
}

bool presence::unlist(channel& ch, member& m) {
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

void presence::close(const std::string& event, const stream_subscriber* s) {
    subscriber_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    auto it = channels_.find(event);
    if (it == channels_.end()) return;
    channel& ch = it->second;
    auto m = ch.members.find(s);
    if (m == ch.members.end()) return;
    if (unlist(ch, m->second)) ch.online_changed = true;
    if (m->second.view) --ch.views;
    ch.members.erase(m);
    --clients_;
    publish(ch, event, clock::now(), alive);
}

void presence::arrived(const std::string& event) {
    std::lock_guard lock(mutex_);
    channels_[event].arrivals.add(clock::now());
}

std::shared_ptr<const activity_record> presence::activity(const std::string& event) {
    std::lock_guard lock(mutex_);
    return current_activity(channels_[event], event, clock::now());
}

void presence::tick() {
    subscriber_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    for (auto& [event, ch] : channels_) publish(ch, event, now, alive);
}

std::shared_ptr<const activity_record> presence::current_activity(channel& ch,
                                                                  const std::string& event,
                                                                  clock::time_point now) {
    const std::uint64_t arrivals = ch.arrivals.count(now);
    if (ch.activity && !ch.online_changed && ch.activity->arrivals_per_minute == arrivals)
        return ch.activity;
    // A few names: cheap enough to encode under the lock, and done only when they or the
    // arrivals changed, never per question.
    std::vector<online_moderator> list;
    list.reserve(ch.online.size());
    for (const auto& [name, n] : ch.online)
        list.push_back(
            {name, n.admins > 0 ? role::admin : role::moderator, n.admins + n.moderators});
    auto rec = std::make_shared<activity_record>();
    rec->version = ++activity_version_;
    rec->arrivals_per_minute = arrivals;
    rec->message = activity_message(event, list, arrivals);
    ch.activity = std::move(rec);
    ch.online_changed = false;
    return ch.activity;
}

void presence::publish(channel& ch, const std::string& event, clock::time_point now,
                       subscriber_list& alive) {
    if (closed_) return;        // every stream is closing: nothing more to tell them
    if (ch.views == 0) return;  // nobody to tell; the next activity() builds it anew
    auto rec = current_activity(ch, event, now);
    if (rec->version == ch.published_version) return;  // they have it
    ch.published_version = rec->version;
    for (auto& [key, m] : ch.members) {
        if (!m.view) continue;
        if (auto s = m.stream.lock()) {
            s->deliver_activity(rec);
            alive.push_back(std::move(s));
        }
    }
}

void presence::revoke(std::int64_t token_id) {
    subscriber_list hit;    // closed, then released, after the lock
    subscriber_list alive;  // released after the lock
    {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        for (auto& [event, ch] : channels_) {
            bool unlisted = false;
            for (auto& [key, m] : ch.members)
                if (auto s = m.stream.lock(); s && s->identity().token_id == token_id) {
                    // Off the list at once, and no more activity: it is closing.
                    unlisted = unlist(ch, m) || unlisted;
                    if (m.view) --ch.views;
                    m.view = false;
                    hit.push_back(std::move(s));
                }
            if (unlisted) {
                ch.online_changed = true;
                publish(ch, event, now, alive);
            }
        }
    }
    for (auto& s : hit) s->close_revoked();
}

void presence::close_settings_dependent(const std::string& event) {
    subscriber_list hit;  // closed, then released, after the lock
    {
        std::lock_guard lock(mutex_);
        auto ch = channels_.find(event);
        if (ch == channels_.end()) return;
        for (auto& [key, m] : ch->second.members)
            if (auto s = m.stream.lock(); s && !listed_role(s->identity().r))
                hit.push_back(std::move(s));
    }
    for (auto& s : hit) s->close_going_away();
}

std::vector<std::int64_t> presence::token_ids() const {
    std::vector<std::int64_t> out;
    subscriber_list alive;  // released after the lock
    {
        std::lock_guard lock(mutex_);
        for (const auto& [event, ch] : channels_)
            for (const auto& [key, m] : ch.members)
                if (auto s = m.stream.lock()) {
                    if (s->identity().token_id != 0) out.push_back(s->identity().token_id);
                    alive.push_back(std::move(s));
                }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void presence::close_all() {
    subscriber_list all;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (auto& [event, ch] : channels_)
            for (auto& [key, m] : ch.members)
                if (auto s = m.stream.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->close_going_away();
}

std::size_t presence::client_count() const {
    std::lock_guard lock(mutex_);
    return clients_;
}

}  // namespace tribune::server

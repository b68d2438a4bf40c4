#include "server/live/presence.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <set>

#include "server/wire/stream_codec.hpp"

namespace tribune::server {
namespace {

// Streams opened with these roles are listed among the moderators online.
bool listed_role(role r) { return r == role::admin || r == role::moderator; }

// A random name for this run among the instances of a shared database.
std::string random_instance() {
    std::random_device rd;
    std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
    static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string s(12, '0');
    for (char& c : s) c = digits[gen() % 36];
    return s;
}

// A name in a listing line: no tab or newline (token names may hold any text).
std::string listing_field(const std::string& v) {
    std::string out = v;
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

// A count of at most nine digits, nothing else.
bool parse_count(std::string_view v, std::uint64_t& out) {
    if (v.empty() || v.size() > 9) return false;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc{} && end == v.data() + v.size();
}

}  // namespace

presence::presence() : instance_(random_instance()) {}

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
    ++listing_version_;
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
    if (unlist(ch, m->second)) {
        ch.online_changed = true;
        ++listing_version_;
    }
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
    expire_remote(now);
    for (auto& [event, ch] : channels_) publish(ch, event, now, alive);
}

std::string presence::local_listing(std::size_t max_bytes) const {
    std::lock_guard lock(mutex_);
    std::set<std::string> lines;  // sorted, so two equal listings are the same text
    for (const auto& [event, ch] : channels_)
        for (const auto& [name, n] : ch.online)
            lines.insert(listing_field(event) + '\t' + listing_field(name) + '\t' +
                         std::to_string(n.admins) + '\t' + std::to_string(n.moderators) + '\n');
    std::string out;
    for (const std::string& line : lines) {
        if (out.size() + line.size() > max_bytes) break;  // the rest is not shared
        out += line;
    }
    return out;
}

std::uint64_t presence::local_version() const {
    std::lock_guard lock(mutex_);
    return listing_version_;
}

void presence::set_remote_ttl(clock::duration ttl) {
    std::lock_guard lock(mutex_);
    remote_ttl_ = ttl;
}

void presence::remote_listing(const std::string& instance, const std::string& listing) {
    remote_instance said;
    std::string_view rest(listing);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        std::string_view f[4];
        std::size_t k = 0;
        for (; k < 4; ++k) {
            const auto tab = line.find('\t');
            f[k] = line.substr(0, tab);
            if (tab == std::string_view::npos) { ++k; break; }
            line.remove_prefix(tab + 1);
        }
        online_count n;
        if (k != 4 || f[0].empty() || f[1].empty() || !parse_count(f[2], n.admins) ||
            !parse_count(f[3], n.moderators) || n.admins + n.moderators == 0)
            continue;
        said.events[std::string(f[0])][std::string(f[1])] = n;
    }
    subscriber_list alive;  // released after the lock
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    said.heard = now;
    remote_instance& before = remote_[instance];
    std::set<std::string> changed;
    for (const auto& [event, names] : before.events)
        if (auto it = said.events.find(event); it == said.events.end() || it->second != names)
            changed.insert(event);
    for (const auto& [event, names] : said.events)
        if (!before.events.contains(event)) changed.insert(event);
    if (said.events.empty()) remote_.erase(instance);
    else before = std::move(said);
    for (const std::string& event : changed) {
        channel& ch = channels_[event];
        ch.online_changed = true;
        publish(ch, event, now, alive);
    }
}

void presence::expire_remote(clock::time_point now) {
    for (auto it = remote_.begin(); it != remote_.end();) {
        if (now - it->second.heard <= remote_ttl_) {
            ++it;
            continue;
        }
        for (const auto& [event, names] : it->second.events) channels_[event].online_changed = true;
        it = remote_.erase(it);
    }
}

std::shared_ptr<const activity_record> presence::current_activity(channel& ch,
                                                                  const std::string& event,
                                                                  clock::time_point now) {
    const std::uint64_t arrivals = ch.arrivals.count(now);
    if (ch.activity && !ch.online_changed && ch.activity->arrivals_per_minute == arrivals)
        return ch.activity;
    // A few names: cheap enough to encode under the lock, and done only when they or the
    // arrivals changed, never per question.
    // This instance's names, and those the other instances list on this event.
    std::map<std::string, online_count> all = ch.online;
    for (const auto& [id, r] : remote_) {
        auto it = r.events.find(event);
        if (it == r.events.end()) continue;
        for (const auto& [name, n] : it->second) {
            online_count& c = all[name];
            c.admins += n.admins;
            c.moderators += n.moderators;
        }
    }
    std::vector<online_moderator> list;
    list.reserve(all.size());
    for (const auto& [name, n] : all)
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
                ++listing_version_;
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

#include "server/hub.hpp"

#include <random>
#include <vector>

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

}  // namespace

hub::hub(std::size_t history_per_event)
    : history_limit_(history_per_event), epoch_(random_epoch()) {}

void hub::question_changed(const question_change& change) {
    // Encode outside the lock; only the sequence number is spliced in under it.
    const std::string body = change_message(change).dump();  // "{...}"
    std::lock_guard lock(mutex_);
    channel& ch = channels_[change.q.event];
    const std::uint64_t seq = ++ch.seq;
    auto msg = std::make_shared<const std::string>("{\"seq\":" + std::to_string(seq) + "," +
                                                   body.substr(1));
    ch.history.emplace_back(seq, msg);
    while (ch.history.size() > history_limit_) ch.history.pop_front();
    for (auto it = ch.sessions.begin(); it != ch.sessions.end();) {
        if (auto s = it->second.lock()) {
            s->send(msg);
            ++it;
        } else {
            it = ch.sessions.erase(it);
            --clients_;
        }
    }
}

void hub::join(const std::string& event, const std::shared_ptr<websocket_session>& s,
               std::optional<std::uint64_t> since, const std::string& epoch) {
    std::lock_guard lock(mutex_);
    channel& ch = channels_[event];
    if (ch.sessions.emplace(s.get(), s).second) ++clients_;
    const bool history_covers =
        since && epoch == epoch_ && *since <= ch.seq &&
        (*since == ch.seq || (!ch.history.empty() && ch.history.front().first <= *since + 1));
    if (!history_covers) {
        s->send_snapshot(ch.seq);
        return;
    }
    for (const auto& [seq, msg] : ch.history)
        if (seq > *since) s->send(msg);
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

}  // namespace tribune::server

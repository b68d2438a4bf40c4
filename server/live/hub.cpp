#include "server/live/hub.hpp"

#include <random>

#include "core/util/thread_name.hpp"
#include "server/live/page_window.hpp"

#include "server/wire/shortlist_codec.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {
namespace {

// Counting an event retries while changes keep being numbered during the read.
constexpr int max_count_attempts = 3;

std::string random_epoch() {
    std::random_device rd;
    std::uniform_int_distribution<int> d(0, 35);
    std::string s;
    for (int i = 0; i < 10; ++i) s += "0123456789abcdefghijklmnopqrstuvwxyz"[d(rd)];
    return s;
}

std::size_t index_of(question_status s) { return static_cast<std::size_t>(s); }

}  // namespace

hub::hub(std::size_t history_per_event, moderation_query& counts, std::string epoch)
    : history_limit_(history_per_event),
      epoch_(epoch.empty() ? random_epoch() : std::move(epoch)),
      counts_(counts) {
    fan_out_thread_ = std::thread([this] { run(); });
}

hub::~hub() { stop(); }

void hub::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (fan_out_thread_.joinable()) fan_out_thread_.join();
}

void hub::run() {
    name_this_thread("tribune-fanout");
    auto last_tick = std::chrono::steady_clock::now() - tick;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return work_waiting_ || stopping_; });
        // The first change after a quiet tick goes at once; later ones gather for a tick.
        wake_.wait_until(lock, last_tick + tick, [this] { return stopping_; });
        if (stopping_) return;
        work_waiting_ = false;
        std::vector<fan_out_work> work;
        for (auto& [event, ch] : channels_) {
            if (ch.pending.empty()) continue;
            auto batch = std::make_shared<change_batch>();
            batch->records = std::move(ch.pending);
            ch.pending.clear();
            batch->prev = ch.pending_prev;
            batch->first = batch->records.front()->seq;
            batch->last = batch->records.back()->seq;
            fan_out_work w;
            w.event = event;
            w.batch = std::move(batch);
            w.members.reserve(ch.subscribers.size());
            for (const auto& [key, m] : ch.subscribers) w.members.push_back(m);
            work.push_back(std::move(w));
        }
        last_tick = std::chrono::steady_clock::now();
        lock.unlock();
        for (fan_out_work& w : work) deliver(w);
        work.clear();  // releases the last references outside the mutex
        lock.lock();
    }
}

void hub::deliver(fan_out_work& w) {
    // Encoded once per distinct view: every session with the same view gets the same bytes.
    std::unordered_map<std::string, std::shared_ptr<const view_batch>> by_view;
    // The event's page windows this tick uses; the others are dropped (they would go stale).
    auto& windows = windows_[w.event];
    std::unordered_map<std::string, std::unique_ptr<page_window>> used;
    for (const member& m : w.members) {
        auto s = m.stream.lock();
        if (!s) continue;  // gone; its destructor's leave() takes it off
        if (!m.spec) continue;  // delivered by publish()
        delivery d{w.batch, nullptr};
        {
            auto& v = by_view[m.spec->key()];
            if (!v) {
                page_window* window = nullptr;
                if (m.spec->pages()) {
                    auto& slot = used[m.spec->key()];
                    if (auto old = windows.find(m.spec->key()); old != windows.end())
                        slot = std::move(old->second);
                    if (!slot) slot = std::make_unique<page_window>(m.spec, w.event, counts_);
                    window = slot.get();
                }
                v = m.spec->encode(w.batch, window);
            }
            d.view = v;
        }
        s->deliver(std::move(d));
    }
    windows = std::move(used);
}

void hub::publish(const question_change& change, std::optional<std::uint64_t> seq) {
    // Encode outside the lock; only the number and the counts are set under it.
    const std::string body = encode_change(change);
    auto rec = std::make_shared<change_record>();
    rec->change = change;
    fan_out(change.q.event, std::move(rec), body, change.from, change.q.status, seq);
}

void hub::publish(const shortlist_change& change, std::optional<std::uint64_t> seq) {
    const std::string body = encode_shortlist_change(change, question_fields{});
    auto rec = std::make_shared<change_record>();
    rec->change.q.event = change.event;
    rec->shortlist = std::make_shared<const shortlist_change>(change);
    fan_out(change.event, std::move(rec), body, std::nullopt, std::nullopt, seq);
}

void hub::fan_out(const std::string& event, std::shared_ptr<change_record> rec,
                  const std::string& body, std::optional<question_status> from,
                  std::optional<question_status> to, std::optional<std::uint64_t> seq) {
    // Released after the mutex (see the header comment).
    std::vector<std::shared_ptr<stream_subscriber>> alive;
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    const std::uint64_t before = ch.seq;
    if (seq) {
        if (*seq <= ch.seq) return;                  // delivered before
        if (*seq != ch.seq + 1) ch.history.clear();  // numbers lacking: no resume across them
        ch.seq = *seq;
    } else {
        ++ch.seq;
    }
    rec->seq = ch.seq;
    rec->message = numbered_change(rec->seq, body);
    if (ch.counted) {
        if (rec->seq > ch.counted_through) {  // else already in the counts read
            if (from) --ch.counts[index_of(*from)];
            if (to) ++ch.counts[index_of(*to)];
        }
        rec->counts = ch.counts;
        rec->counted = true;
    }
    std::shared_ptr<const change_record> shared = std::move(rec);
    ch.history.push_back(shared);
    while (ch.history.size() > history_limit_) ch.history.pop_front();
    if (ch.subscribers.empty()) return;
    // Streams without a view (per-change, display: a few mirrors, not dashboards) get each
    // change at once, one by one, so that their send queue limits count changes as before.
    std::shared_ptr<change_batch> single;
    for (auto it = ch.subscribers.begin(); ch.without_view > 0 && it != ch.subscribers.end(); ++it) {
        const member& m = it->second;
        if (m.spec) continue;
        auto s = m.stream.lock();
        if (!s) continue;
        if (!single) {
            single = std::make_shared<change_batch>();
            single->prev = before;
            single->first = single->last = shared->seq;
            single->records.push_back(shared);
        }
        s->deliver(delivery{single, nullptr});
        alive.push_back(std::move(s));
    }
    // Bounded: a fan-out thread this far behind drops what waits; streams see the gap.
    if (ch.pending.size() >= max_pending_per_event) ch.pending.clear();
    if (ch.pending.empty()) ch.pending_prev = before;
    ch.pending.push_back(std::move(shared));
    if (!work_waiting_) {
        work_waiting_ = true;
        wake_.notify_one();
    }
}

hub::channel& hub::channel_for(const std::string& event) {
    auto [it, created] = channels_.try_emplace(event);
    // After seed_counts(), an event the hub has not seen was created since: every one of its
    // questions is still to be announced, so it starts from zero, exactly.
    if (created && seeded_all_) it->second.counted = true;
    return it->second;
}

void hub::start_at(const std::string& event, std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    if (seq <= ch.seq) return;
    ch.seq = seq;
    ch.history.clear();
}

void hub::start_counting(channel& ch, const status_counts& counts,
                         std::optional<std::uint64_t> through) {
    ch.counts = {};
    for (const auto& [s, n] : counts) ch.counts[index_of(s)] = n;
    ch.counted = true;
    ch.counted_from = ch.seq;
    ch.counted_through = through.value_or(0);
}

bool hub::can_start_counting(const channel& ch, std::optional<std::uint64_t> through) {
    return !through || *through >= ch.seq;
}

void hub::count_event(const std::string& event) {
    for (int attempt = 0; attempt < max_count_attempts; ++attempt) {
        std::uint64_t seq_before = 0;
        {
            std::lock_guard lock(mutex_);
            channel& ch = channel_for(event);
            if (ch.counted) return;
            seq_before = ch.seq;
        }
        auto read = counts_.counts(event);  // the database, outside the lock
        if (!read) return;
        std::lock_guard lock(mutex_);
        channel& ch = channel_for(event);
        if (ch.counted) return;
        // A change was numbered meanwhile (or, numbered by the database, the counts miss
        // one): read again.
        if (read->through ? !can_start_counting(ch, read->through) : ch.seq != seq_before) continue;
        start_counting(ch, read->counts, read->through);
        return;
    }
}

void hub::seed_counts() {
    // The database, outside the lock. An event whose counts cannot be read is known but not
    // counted: it is counted when a stream joins it.
    auto events = counts_.events();
    if (!events) return;
    std::vector<std::pair<std::string, result<event_counts>>> read;
    for (const event_info& e : *events) read.emplace_back(e.slug, counts_.counts(e.slug));
    std::lock_guard lock(mutex_);
    for (const auto& [slug, counted] : read) {
        channel& ch = channels_[slug];
        if (!ch.counted && counted && can_start_counting(ch, counted->through))
            start_counting(ch, counted->counts, counted->through);
    }
    seeded_all_ = true;
}

hub::position hub::position_of(const channel& ch, std::optional<std::uint64_t> since,
                               const std::string& epoch) const {
    position p;
    p.seq = ch.seq;
    p.counts = ch.counts;
    p.counted = ch.counted;
    const bool history_covers =
        since && epoch == epoch_ && ch.counted && *since >= ch.counted_from && *since <= ch.seq &&
        (*since == ch.seq || (!ch.history.empty() && ch.history.front()->seq <= *since + 1));
    if (history_covers) {
        p.missed.emplace();
        for (const auto& r : ch.history)
            if (r->seq > *since) p.missed->push_back(r);
    }
    return p;
}

hub::position hub::join(const std::string& event, const std::shared_ptr<stream_subscriber>& s,
                        std::optional<std::uint64_t> since, const std::string& epoch,
                        std::shared_ptr<const view_spec> spec) {
    count_event(event);
    std::lock_guard lock(mutex_);
    channel& ch = channel_for(event);
    const bool with_view = spec != nullptr;
    auto [it, added] = ch.subscribers.try_emplace(s.get());
    if (!added && !it->second.spec) --ch.without_view;
    it->second = member{s, std::move(spec)};
    if (!with_view) ++ch.without_view;
    return position_of(ch, since, epoch);
}

void hub::leave(const std::string& event, const stream_subscriber* s) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(event);
    if (it == channels_.end()) return;
    channel& ch = it->second;
    auto m = ch.subscribers.find(s);
    if (m == ch.subscribers.end()) return;
    if (!m->second.spec) --ch.without_view;
    ch.subscribers.erase(m);
}

}  // namespace tribune::server

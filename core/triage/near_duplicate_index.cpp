#include "core/triage/near_duplicate_index.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_map>

#include "core/util/mix64.hpp"

namespace tribune {
namespace {

constexpr std::size_t per_band = 4;      // most recent holders of a key taken as candidates
constexpr std::size_t max_checked = 16;  // candidates compared, most keys shared first
constexpr std::size_t min_table_bits = 10;
constexpr std::uint64_t empty_slot = ~std::uint64_t{0};
constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();


// A band key of a question of `event_id`: keys of different events never meet.
std::uint64_t combined_key(std::int64_t event_id, std::int64_t band_key) {
    return mix64(static_cast<std::uint64_t>(band_key) ^
               mix64(static_cast<std::uint64_t>(event_id) + 0x9e3779b97f4a7c15ULL));
}

// A table slot: the key's low 32 bits (never all ones) and the holder's seq.
std::uint32_t tag_of(std::uint64_t key) {
    const auto t = static_cast<std::uint32_t>(key);
    return t == 0xffffffffu ? 0xfffffffeu : t;
}
std::uint64_t slot_value(std::uint64_t key, std::uint32_t seq32) {
    return (std::uint64_t{tag_of(key)} << 32) | seq32;
}
std::uint32_t slot_tag(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
std::uint32_t slot_seq(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

// The band keys of the earlier items of the batch being planned: for each (band, key), the
// latest item holding it, and per item and band the previous holder (a chain, newest first).
// Reused from batch to batch (plan() runs under the index's mutex), so that grouping a batch
// allocates nothing once the buffers have grown to the batch size.
class batch_keys {
public:
    static constexpr std::uint32_t none = 0xffffffffu;

    void reset(std::size_t items, std::size_t band_count) {
        bands_ = band_count;
        const std::size_t want = std::bit_ceil(std::max<std::size_t>(64, 2 * items * band_count));
        slots_.assign(want, slot{});
        mask_ = want - 1;
        prev_.assign(items * band_count, none);
    }
    // The latest earlier item holding `key` in band b; none when there is none.
    std::uint32_t head(std::size_t b, std::uint64_t key) const {
        for (std::size_t i = home(b, key);; i = (i + 1) & mask_) {
            const slot& s = slots_[i];
            if (s.item == none) return none;
            if (s.key == key && s.band == b) return s.item;
        }
    }
    // The item that held the same key in band b before `item`; none when it was the first.
    std::uint32_t previous(std::uint32_t item, std::size_t b) const { return prev_[item * bands_ + b]; }
    // Records that `item` (later than every item recorded) holds `key` in band b.
    void add(std::size_t b, std::uint64_t key, std::uint32_t item) {
        for (std::size_t i = home(b, key);; i = (i + 1) & mask_) {
            slot& s = slots_[i];
            if (s.item == none) {
                s = {key, static_cast<std::uint32_t>(b), item};
                return;
            }
            if (s.key == key && s.band == b) {
                prev_[item * bands_ + b] = s.item;
                s.item = item;
                return;
            }
        }
    }

private:
    struct slot {
        std::uint64_t key = 0;
        std::uint32_t band = 0;
        std::uint32_t item = none;
    };
    std::size_t home(std::size_t b, std::uint64_t key) const {
        return static_cast<std::size_t>(mix64(key + b)) & mask_;
    }
    std::vector<slot> slots_;
    std::vector<std::uint32_t> prev_;
    std::size_t mask_ = 0;
    std::size_t bands_ = 0;
};

}  // namespace

// A candidate of one planned question: an earlier item of its batch, or an indexed question
// (`index` is then its ring slot). `rank` orders by recency: batch items above the index.
struct near_duplicate_index::candidate {
    std::size_t hits = 0;
    bool in_batch = false;
    std::size_t index = 0;
    std::int64_t rank = 0;
};

near_duplicate_index::near_duplicate_index(options o)
    : detector_(o.rule),
      // At most 2^30, so that 32 bits of a sequence number name one question of the window.
      capacity_(std::bit_ceil(std::clamp<std::size_t>(o.capacity, 1, std::size_t{1} << 30))),
      recent_(std::clamp<std::size_t>(o.recent, 1, capacity_)),
      track_ids_(o.track_ids) {
    clear();
}

void near_duplicate_index::clear() {
    next_seq_ = 0;
    ring_.clear();
    live_ = 0;
    keyed_ = 0;
    // Tables start small and double up to 2 x capacity slots (at most half full).
    table_bits_ = std::min<std::size_t>(min_table_bits, std::bit_width(capacity_));
    for (auto& t : tables_) t.assign(std::size_t{1} << table_bits_, empty_slot);
    recent_fps_.clear();
    members_.clear();
    decided_.clear();
    ids_.clear();
}

std::size_t near_duplicate_index::home(std::uint64_t key) const {
    return static_cast<std::size_t>(key >> (64 - table_bits_));
}

const near_duplicate_index::record* near_duplicate_index::live(std::uint32_t seq32) const {
    const std::size_t slot = seq32 & (capacity_ - 1);
    if (slot >= ring_.size()) return nullptr;
    const record& r = ring_[slot];
    if (r.id == 0 || static_cast<std::uint32_t>(r.seq) != seq32) return nullptr;
    return &r;
}

std::size_t near_duplicate_index::find(std::size_t b, std::uint64_t key) const {
    const std::vector<std::uint64_t>& t = tables_[b];
    const std::size_t mask = t.size() - 1;
    const std::uint32_t tag = tag_of(key);
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
        const std::uint64_t v = t[i];
        if (v == empty_slot) return npos;
        if (slot_tag(v) != tag) continue;
        const record* r = live(slot_seq(v));
        if (r != nullptr && r->keys[b] == key) return i;
    }
}

std::uint32_t near_duplicate_index::push_head(std::size_t b, std::uint64_t key,
                                              std::uint32_t seq32) {
    std::vector<std::uint64_t>& t = tables_[b];
    if (const std::size_t at = find(b, key); at != npos) {
        const std::uint32_t before = slot_seq(t[at]);
        t[at] = slot_value(key, seq32);
        return before;
    }
    const std::size_t mask = t.size() - 1;
    std::size_t i = home(key);
    while (t[i] != empty_slot) i = (i + 1) & mask;
    t[i] = slot_value(key, seq32);
    return seq32;
}

// Backward-shift deletion: later entries of the probe run move up so no lookup stops early.
void near_duplicate_index::erase_slot(std::size_t b, std::size_t slot) {
    std::vector<std::uint64_t>& t = tables_[b];
    const std::size_t mask = t.size() - 1;
    t[slot] = empty_slot;
    for (std::size_t j = (slot + 1) & mask; t[j] != empty_slot; j = (j + 1) & mask) {
        const std::size_t h = home(live(slot_seq(t[j]))->keys[b]);
        if (((j - h) & mask) >= ((j - slot) & mask)) {
            t[slot] = t[j];
            t[j] = empty_slot;
            slot = j;
        }
    }
}

void near_duplicate_index::grow_tables_if_needed() {
    if (2 * keyed_ <= (std::size_t{1} << table_bits_)) return;
    std::array<std::vector<std::uint64_t>, bands> old;
    old.swap(tables_);
    ++table_bits_;
    for (std::size_t b = 0; b < bands; ++b) {
        tables_[b].assign(std::size_t{1} << table_bits_, empty_slot);
        const std::size_t mask = tables_[b].size() - 1;
        for (std::uint64_t v : old[b]) {
            if (v == empty_slot) continue;
            std::size_t i = home(live(slot_seq(v))->keys[b]);
            while (tables_[b][i] != empty_slot) i = (i + 1) & mask;
            tables_[b][i] = v;
        }
    }
}

void near_duplicate_index::evict(record& r) {
    if (r.keyed) {
        const auto seq32 = static_cast<std::uint32_t>(r.seq);
        for (std::size_t b = 0; b < bands; ++b) {
            const std::size_t at = find(b, r.keys[b]);
            if (at != npos && slot_seq(tables_[b][at]) == seq32) erase_slot(b, at);
        }
        --keyed_;
    }
    --live_;
    if (auto g = members_.find(r.cluster); g != members_.end() && --g->second == 0) {
        members_.erase(g);
        decided_.erase(r.cluster);
    }
    if (track_ids_) ids_.erase(r.id);
    r.id = 0;
    r.keyed = false;
    r.normal.clear();
    r.normal.shrink_to_fit();
}

void near_duplicate_index::add(entry e) {
    const std::uint64_t seq = next_seq_++;
    const auto seq32 = static_cast<std::uint32_t>(seq);
    const std::size_t slot = seq & (capacity_ - 1);
    if (slot == ring_.size()) ring_.emplace_back();
    record& r = ring_[slot];
    if (r.id != 0) evict(r);
    r.seq = seq;
    r.id = e.id;
    if (track_ids_) ids_[e.id] = seq;
    r.cluster = e.cluster_id;
    r.event_id = e.event_id;
    r.normal = std::move(e.normal_text);
    r.keyed = !e.fp.empty();
    ++live_;
    ++members_[r.cluster];
    if (r.keyed) {
        ++keyed_;
        grow_tables_if_needed();
        for (std::size_t b = 0; b < bands; ++b) {
            r.keys[b] = combined_key(e.event_id, e.fp.bands[b]);
            r.prev[b] = push_head(b, r.keys[b], seq32);
        }
    }
    if (recent_fps_.empty()) recent_fps_.resize(recent_);
    cached& c = recent_fps_[seq % recent_fps_.size()];
    c.seq = seq;
    c.fp = std::move(e.fp);
}

void near_duplicate_index::collect(std::size_t b, std::uint64_t key, std::size_t want,
                                   std::vector<candidate>& into) const {
    const std::size_t at = find(b, key);
    if (at == npos) return;
    std::uint32_t seq32 = slot_seq(tables_[b][at]);
    for (std::size_t n = 0; n < want; ++n) {
        const record* r = live(seq32);
        if (r == nullptr || r->keys[b] != key) return;  // the chain left the window
        count_hit(into, false, static_cast<std::size_t>(r->seq & (capacity_ - 1)), r->id);
        if (r->prev[b] == seq32) return;  // the oldest holder
        seq32 = r->prev[b];
    }
}

const near_duplicate_index::fingerprint& near_duplicate_index::fingerprint_of(
    const record& r, fingerprint& scratch) const {
    const cached& c = recent_fps_[r.seq % recent_fps_.size()];
    if (c.seq == r.seq) return c.fp;
    ++work_.recomputed;
    scratch = detector_.comparable_of_normalized(r.normal);
    return scratch;
}

void near_duplicate_index::count_hit(std::vector<candidate>& into, bool in_batch,
                                     std::size_t index, std::int64_t rank) {
    for (auto& c : into) {
        if (c.in_batch == in_batch && c.index == index) {
            ++c.hits;
            return;
        }
    }
    into.push_back({1, in_batch, index, rank});
}

std::vector<group_choice> near_duplicate_index::plan(const std::vector<item>& batch) const {
    std::lock_guard lock(mutex_);
    // Batch items rank above every stored question: they will get the higher ids.
    constexpr std::int64_t batch_rank = std::int64_t{1} << 62;
    std::vector<group_choice> out;
    out.reserve(batch.size());
    // Earlier candidate items of this batch by combined key, per band.
    thread_local batch_keys pending;
    pending.reset(batch.size(), bands);
    thread_local std::vector<candidate> cands;
    std::array<std::uint64_t, bands> keys{};
    fingerprint scratch;
    for (std::size_t k = 0; k < batch.size(); ++k) {
        const item& it = batch[k];
        const fingerprint& fp = *it.fp;
        if (fp.empty()) {
            out.push_back(group_choice::own_group());
            continue;
        }
        cands.clear();
        for (std::size_t b = 0; b < bands; ++b) {
            keys[b] = combined_key(it.event_id, fp.bands[b]);
            std::size_t taken = 0;
            for (std::uint32_t j = pending.head(b, keys[b]); j != batch_keys::none && taken < per_band;
                 j = pending.previous(j, b)) {
                if (batch[j].event_id != it.event_id) continue;
                count_hit(cands, true, j, batch_rank + static_cast<std::int64_t>(j));
                ++taken;
            }
            if (taken < per_band) collect(b, keys[b], per_band - taken, cands);
        }
        std::sort(cands.begin(), cands.end(), [](const candidate& a, const candidate& c) {
            return a.hits != c.hits ? a.hits > c.hits : a.rank > c.rank;
        });
        if (cands.size() > max_checked) cands.resize(max_checked);

        ++work_.planned;
        group_choice choice = group_choice::own_group();
        for (const candidate& c : cands) {
            ++work_.compared;
            if (c.in_batch) {
                if (!detector_.same_question(fp, *batch[c.index].fp)) continue;
                choice = group_choice::join_item(c.index);
            } else {
                const record& r = ring_[c.index];
                if (r.event_id != it.event_id || !detector_.same_question(fp, fingerprint_of(r, scratch)))
                    continue;
                choice = group_choice::join(r.cluster);
            }
            break;
        }
        out.push_back(choice);
        if (it.candidate)
            for (std::size_t b = 0; b < bands; ++b) pending.add(b, keys[b], static_cast<std::uint32_t>(k));
    }
    return out;
}

std::vector<std::optional<group_decision>> near_duplicate_index::decisions_of(
    const std::vector<group_choice>& planned) const {
    std::lock_guard lock(mutex_);
    std::vector<std::optional<group_decision>> out;
    out.reserve(planned.size());
    for (const group_choice& c : planned) {
        switch (c.k) {
            case group_choice::kind::own: out.emplace_back(); break;
            case group_choice::kind::existing: {
                auto g = decided_.find(c.cluster_id);
                out.push_back(g == decided_.end() ? std::nullopt : std::optional(g->second));
                break;
            }
            case group_choice::kind::batch_item:  // the group of an earlier item
                out.push_back(c.item < out.size() ? out[c.item] : std::nullopt);
                break;
        }
    }
    return out;
}

std::vector<std::uint32_t> near_duplicate_index::members_before(
    const std::vector<group_choice>& planned) const {
    std::lock_guard lock(mutex_);
    std::vector<std::int64_t> key(planned.size());  // cluster id, or -(index + 1) of a new group
    std::unordered_map<std::int64_t, std::uint32_t> in_batch;
    std::vector<std::uint32_t> out;
    out.reserve(planned.size());
    for (std::size_t i = 0; i < planned.size(); ++i) {
        const group_choice& c = planned[i];
        key[i] = c.k == group_choice::kind::existing ? c.cluster_id
                 : c.k == group_choice::kind::batch_item && c.item < i ? key[c.item]
                                                                       : -static_cast<std::int64_t>(i + 1);
        std::uint32_t n = in_batch[key[i]]++;
        if (key[i] > 0)
            if (auto g = members_.find(key[i]); g != members_.end()) n += g->second;
        out.push_back(n);
    }
    return out;
}

std::optional<group_decision> near_duplicate_index::decision_of(std::int64_t cluster_id) const {
    std::lock_guard lock(mutex_);
    auto g = decided_.find(cluster_id);
    return g == decided_.end() ? std::nullopt : std::optional(g->second);
}

void near_duplicate_index::apply(const std::vector<group_decision_change>& changes) {
    std::lock_guard lock(mutex_);
    for (const group_decision_change& c : changes) {
        if (!c.now) decided_.erase(c.cluster_id);
        else if (members_.count(c.cluster_id) != 0) decided_[c.cluster_id] = *c.now;
    }
}

void near_duplicate_index::commit(std::vector<entry> stored) {
    std::lock_guard lock(mutex_);
    for (entry& e : stored)
        if (!track_ids_ || ids_.count(e.id) == 0) add(std::move(e));
}

bool near_duplicate_index::contains(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    return ids_.count(id) != 0;
}

status near_duplicate_index::rebuild(question_store& db) {
    std::lock_guard lock(mutex_);
    clear();
    status s = db.scan_recent_groups(capacity_, [&](const grouping_row& row) {
        entry e;
        e.id = row.id;
        e.event_id = row.event_id;
        e.cluster_id = row.cluster_id;
        e.normal_text = row.group_text;
        e.fp = detector_.fingerprint_of_normalized(e.normal_text);
        add(std::move(e));
    });
    if (s)
        s = db.scan_group_decisions([&](const group_decision& d) {
            if (members_.count(d.cluster_id) != 0) decided_[d.cluster_id] = d;
        });
    if (!s) clear();
    return s;
}

near_duplicate_index::counters near_duplicate_index::work() const {
    std::lock_guard lock(mutex_);
    return work_;
}

std::size_t near_duplicate_index::size() const {
    std::lock_guard lock(mutex_);
    return live_;
}

std::size_t near_duplicate_index::memory_bytes() const {
    std::lock_guard lock(mutex_);
    std::size_t bytes = ring_.capacity() * sizeof(record) + recent_fps_.capacity() * sizeof(cached);
    for (const record& r : ring_)
        if (r.normal.capacity() > 15) bytes += r.normal.capacity() + 1;
    for (const auto& t : tables_) bytes += t.capacity() * sizeof(std::uint64_t);
    // A node (key, value, link) per group and a bucket pointer each.
    bytes += members_.size() * (2 * sizeof(std::int64_t) + sizeof(void*)) +
             members_.bucket_count() * sizeof(void*) +
             decided_.size() * (sizeof(std::int64_t) + sizeof(group_decision) + sizeof(void*)) +
             decided_.bucket_count() * sizeof(void*) +
             ids_.size() * (sizeof(std::int64_t) + sizeof(std::uint64_t) + sizeof(void*)) +
             ids_.bucket_count() * sizeof(void*);
    for (const cached& c : recent_fps_) {
        bytes += c.fp.shingles.capacity() * sizeof(std::uint64_t) +
                 c.fp.content_words.capacity() * sizeof(std::u32string);
        for (const auto& w : c.fp.content_words)
            if (w.capacity() > 3) bytes += (w.capacity() + 1) * sizeof(char32_t);
    }
    return bytes;
}

}  // namespace tribune

#pragma once
// near_duplicate_index: decides, in memory on the scoring worker, which near-duplicate group
// each new question joins — before its batch is written, so the write transaction only writes
// (group_choice). It replaces the band-key table the store used to query inside its insert.
//
// THE RULE (unchanged from the store's): a question's candidates are, for each of its 16
// MinHash band keys (near_duplicate_detector), the 4 most recent questions of the same event
// with that key — earlier items of its own batch being the most recent; they are ordered by
// how many keys they share with it, then newest first, and the first 16 are compared with
// near_duplicate_detector::same_question. The first that is the same gives the group (its
// group); none: the question starts a group of its own.
//
// WHAT IT HOLDS, bounded by design: a window of the `capacity` most recently stored questions
// of all events (default 131,072; a ring, the oldest leaves as a new one comes). Per question:
// id, group, event, its 16 band keys (combined with the event), 16 links to the previous
// question with the same key in each band (the chains that give "the 4 most recent"), and its
// normal-form text, from which a candidate's fingerprint is recomputed when it is compared. Per
// band, an open-addressing table (8-byte slots, at most half full) maps a key to the newest
// question holding it. The fingerprints of the `recent` newest questions (default 4,096) are
// kept, so a flood repeating one question compares against cached fingerprints.
// Measured with bench/near_duplicate_index_bench.cpp, 1,000,000 questions into one event
// (docs/benchmarks.md "Near-duplicate index"): the index's own estimate levels off at 88 MB
// once the default window is full (about 670 bytes per windowed question) and the whole
// process at 102 MB RSS, the same at 200,000 and at 1,000,000 questions. CPU per question
// (normalise, fingerprint, plan, index) levels off with the window too, at 47-55 µs on the
// 2-core dev VM, bounded by the caps below; rebuilding a full window at start took 1.4 s.
// The trade: a question repeating one that left the window (more than `capacity` questions
// ago, across all events) starts a new group. A group in use stays reachable through its recent
// members, which carry its id. Constant memory and constant work per question, whatever the
// event's size: 16 table lookups, at most 64 chain steps and 16 comparisons, no database read.
//
// REBUILT AT START from the store (question_store::scan_recent_groups: the same window, the
// stored normal form grouping compares), so the groups chosen for new questions are the same
// before and after a restart. The database keeps no band keys (migration 0006 dropped them).
//
// GROUP DECISIONS (issue 10, decision_inheritance.hpp): for each group with a member in the
// window, how many members it has there and, when a moderator decided it, its decision — so
// the scoring worker reads a new member's inheritance here, without a database read. Loaded at
// start with the window (question_store::scan_group_decisions), updated by apply() after a
// decision commits. A group whose last member leaves the window is forgotten with its decision:
// no new question can join it any more. Costs a hash-map node per group in the window (about
// 40 bytes) and one per decided group.
// The race between a decision and a question scored at the same moment is closed by the
// caller: group_commit runs the decision's transaction and apply() between two batches (under
// the mutex that also covers plan -> insert -> commit), so a batch planned before a decision
// commits is stored before it (its members are in the queue the moderator decides from), and
// a batch planned after sees it — never a withdrawn decision, never a missed one.
//
// Thread safety: every method is safe from any thread (one internal mutex). The CALLER
// serialises plan -> insert -> commit of a batch against other batches, so each plan sees every
// earlier commit (group_commit does, under its mutex). commit() only after the batch
// is durably stored: a batch that failed leaves no candidate behind.

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain/group_choice.hpp"
#include "core/domain/group_decision.hpp"
#include "core/domain/status.hpp"
#include "core/store/question_store.hpp"
#include "core/triage/near_duplicate_detector.hpp"

namespace tribune {

class near_duplicate_index {
public:
    using fingerprint = near_duplicate_detector::fingerprint;

    struct options {
        std::size_t capacity = std::size_t{1} << 17;  // questions in the window (to 2^k, <= 2^30)
        std::size_t recent = 4096;                    // fingerprints kept whole
        near_duplicate_detector::options rule{};
        // Keeps a map from id to window slot (about 40 bytes per windowed question), so that
        // commit() skips a question already indexed and contains() answers: for an index that
        // is also fed other processes' commits, where this process's own questions arrive a
        // second time (a database several instances share).
        bool track_ids = false;
    };

    // A new question to group.
    struct item {
        std::int64_t event_id = 0;
        const fingerprint* fp = nullptr;  // REQUIRES: not null; outlives the plan() call
        // False for an item that repeats an earlier item's (source, external_id): it will not
        // be stored, so it is no candidate for the others.
        bool candidate = true;
    };

    // A stored question, for commit().
    struct entry {
        std::int64_t id = 0;
        std::int64_t event_id = 0;
        std::int64_t cluster_id = 0;
        std::string normal_text;  // its normal form (question_insert::search_text)
        fingerprint fp;           // fingerprint_of_normalized(normal_text)
    };

    near_duplicate_index() : near_duplicate_index(options{}) {}
    explicit near_duplicate_index(options o);

    // The rule, for computing fingerprints off any lock.
    const near_duplicate_detector& detector() const { return detector_; }

    // The group of each item of a batch, in order (see THE RULE).
    std::vector<group_choice> plan(const std::vector<item>& batch) const;

    // The decision of the group each planned item joins (empty: none, or a new group), for a
    // batch planned with plan() and nothing committed since.
    std::vector<std::optional<group_decision>> decisions_of(
        const std::vector<group_choice>& planned) const;
    // For each planned item, how many members its group has before it: in the window, and
    // earlier in the same batch (what the event correction's escalation counts).
    std::vector<std::uint32_t> members_before(const std::vector<group_choice>& planned) const;
    // The decision of a group with a member in the window; empty otherwise.
    std::optional<group_decision> decision_of(std::int64_t cluster_id) const;
    // Records decisions that committed: set, replaced or withdrawn. Groups with no member in
    // the window are skipped.
    void apply(const std::vector<group_decision_change>& changes);

    // Adds the questions of a committed batch, in the order they were stored (ascending ids).
    // With options::track_ids, a question already in the window is skipped (another
    // process's questions may come later than newer ones of this process, with lower ids).
    void commit(std::vector<entry> stored);
    // With options::track_ids: whether question `id` is in the window; false without.
    bool contains(std::int64_t id) const;

    // Forgets everything, then indexes the store's most recent `capacity` questions and the
    // decisions of their groups.
    status rebuild(question_store& db);

    // What plan() has done so far, for benchmarks and metrics.
    struct counters {
        std::uint64_t planned = 0;     // questions grouped
        std::uint64_t compared = 0;    // candidates compared with same_question
        std::uint64_t recomputed = 0;  // of those, fingerprints recomputed from the text
    };
    counters work() const;

    // Questions in the window.
    std::size_t size() const;
    // An estimate of the memory held, in bytes (records, texts, tables, cached fingerprints).
    std::size_t memory_bytes() const;

private:
    static constexpr std::size_t bands = near_duplicate_detector::band_count;

    struct record {
        std::uint64_t seq = 0;
        std::int64_t id = 0;  // 0: empty slot
        std::int64_t cluster = 0;
        std::int64_t event_id = 0;
        bool keyed = false;                         // false: no words, no band keys
        std::array<std::uint64_t, bands> keys{};    // band keys combined with the event
        std::array<std::uint32_t, bands> prev{};    // seq of the previous holder; own seq: none
        std::string normal;
    };
    struct cached {
        std::uint64_t seq = ~std::uint64_t{0};
        fingerprint fp;
    };

    struct candidate;

    const record* live(std::uint32_t seq32) const;
    // The table slot holding `key` in band b; npos when none.
    std::size_t find(std::size_t b, std::uint64_t key) const;
    // Makes seq32 the newest holder of `key` in band b; returns the previous holder's seq,
    // or seq32 when there was none.
    std::uint32_t push_head(std::size_t b, std::uint64_t key, std::uint32_t seq32);
    void erase_slot(std::size_t b, std::size_t slot);
    void grow_tables_if_needed();
    void add(entry e);
    void evict(record& r);
    static void count_hit(std::vector<candidate>& into, bool in_batch, std::size_t index,
                          std::int64_t rank);
    void collect(std::size_t b, std::uint64_t key, std::size_t want,
                 std::vector<candidate>& into) const;
    // The record's fingerprint: cached when recent, else recomputed into `scratch`.
    const fingerprint& fingerprint_of(const record& r, fingerprint& scratch) const;
    std::size_t home(std::uint64_t key) const;
    void clear();

    const near_duplicate_detector detector_;
    const std::size_t capacity_;  // a power of two
    const std::size_t recent_;    // at most capacity_
    const bool track_ids_;

    mutable std::mutex mutex_;
    std::uint64_t next_seq_ = 0;               // GUARDED_BY(mutex_)
    std::vector<record> ring_;                 // GUARDED_BY(mutex_); grows to capacity_
    std::size_t live_ = 0;                     // GUARDED_BY(mutex_)
    std::size_t keyed_ = 0;                    // GUARDED_BY(mutex_): live records with keys
    std::size_t table_bits_ = 0;               // GUARDED_BY(mutex_)
    std::array<std::vector<std::uint64_t>, bands> tables_;  // GUARDED_BY(mutex_)
    std::vector<cached> recent_fps_;           // GUARDED_BY(mutex_); slot seq % recent_
    // By cluster id: members in the window of every group there, decisions of decided ones.
    std::unordered_map<std::int64_t, std::uint32_t> members_;  // GUARDED_BY(mutex_)
    std::unordered_map<std::int64_t, group_decision> decided_;  // GUARDED_BY(mutex_)
    // With track_ids_: the window's questions by id.
    std::unordered_map<std::int64_t, std::uint64_t> ids_;  // GUARDED_BY(mutex_)
    mutable counters work_;                    // GUARDED_BY(mutex_)
};

}  // namespace tribune

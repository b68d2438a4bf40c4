#include "core/service/group_commit.hpp"

#include <chrono>
#include <set>
#include <string>
#include <tuple>

namespace tribune {
namespace {

// For each item: false when it repeats an earlier item's (event, source, external_id), so
// the store will not insert it and it is no candidate for the others.
std::vector<bool> first_of_their_identity(const std::vector<group_commit::item>& batch) {
    std::vector<bool> first;
    first.reserve(batch.size());
    std::set<std::tuple<std::int64_t, std::string, std::string>> seen;
    for (const group_commit::item& it : batch) {
        const question& q = it.row.q;
        first.push_back(!q.external_id ||
                        seen.emplace(q.event_id, q.source.value_or(""), *q.external_id).second);
    }
    return first;
}

}  // namespace

group_commit::group_commit(question_store& questions, near_duplicate_index::options o,
                           commit_observer on_committed)
    : questions_(questions), on_committed_(std::move(on_committed)), index_(o), shared_(o.track_ids) {}

status group_commit::load() {
    std::lock_guard lock(mutex_);
    // Read before the window: what commits during the rebuild is caught up again (a question
    // already indexed is skipped, a decision re-read).
    std::map<std::int64_t, std::uint64_t> numbers;
    if (shared_) {
        auto n = questions_.last_change_numbers();
        if (!n) return n.error();
        numbers = std::move(*n);
    }
    if (status s = index_.rebuild(questions_); !s) return s;
    accounted_ = std::move(numbers);
    return status::ok();
}

void group_commit::catch_up(const committed_elsewhere& since) {
    if (!since.created.empty()) {
        std::vector<near_duplicate_index::entry> entries;
        entries.reserve(since.created.size());
        for (const grouping_row& row : since.created) {
            if (index_.contains(row.id)) continue;
            near_duplicate_index::entry e;
            e.id = row.id;
            e.event_id = row.event_id;
            e.cluster_id = row.cluster_id;
            e.normal_text = row.group_text;
            e.fp = index_.detector().fingerprint_of_normalized(e.normal_text);
            entries.push_back(std::move(e));
        }
        index_.commit(std::move(entries));
    }
    if (!since.decisions.empty()) index_.apply(since.decisions);
    for (const auto& [event, last] : since.through) accounted_[event] = last;
}

void group_commit::between_batches(
    const std::function<void(std::vector<group_decision_change>& changed)>& decide) {
    std::lock_guard lock(mutex_);
    std::vector<group_decision_change> changed;
    decide(changed);
    if (!changed.empty()) index_.apply(changed);
}

status group_commit::absorb(const question_change& c, std::optional<std::uint64_t> seq) {
    std::lock_guard lock(mutex_);
    std::uint64_t* accounted = nullptr;
    if (seq && shared_) {
        accounted = &accounted_[c.q.event_id];
        if (*seq <= *accounted) return status::ok();  // a batch caught up with it already
    }
    status s = absorb_locked(c);
    // Only in order: a change that could not be absorbed is caught up by the next batch.
    if (s && accounted && *seq == *accounted + 1) *accounted = *seq;
    return s;
}

status group_commit::absorb_locked(const question_change& c) {
    if (c.kind == change_kind::created) {
        if (index_.contains(c.q.id)) return status::ok();
        auto row = questions_.grouping_of(c.q.id);
        if (!row) return row.error();
        if (!*row) return status::ok();
        near_duplicate_index::entry e;
        e.id = (*row)->id;
        e.event_id = (*row)->event_id;
        e.cluster_id = (*row)->cluster_id;
        e.normal_text = std::move((*row)->group_text);
        e.fp = index_.detector().fingerprint_of_normalized(e.normal_text);
        std::vector<near_duplicate_index::entry> one;
        one.push_back(std::move(e));
        index_.commit(std::move(one));
        return status::ok();
    }
    if (c.actor.empty() || !c.from || *c.from == c.q.status) return status::ok();
    auto decision = questions_.group_decision_of(c.q.cluster_id);
    if (!decision) return decision.error();
    index_.apply({group_decision_change{c.q.cluster_id, std::move(*decision)}});
    return status::ok();
}

result<std::vector<insert_outcome>> group_commit::run(std::vector<item>& batch,
                                                      const before_insert& step) {
    std::lock_guard lock(mutex_);
    const std::vector<bool> first = first_of_their_identity(batch);
    std::vector<near_duplicate_index::item> items;
    items.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i)
        items.push_back({batch[i].row.q.event_id, &batch[i].fp, first[i]});
    // The rows to store: the store reads their number and events before the plan; the plan
    // (with the step, which works on the items) moves them back into the items and out again.
    std::vector<question_insert> rows;
    rows.reserve(batch.size());
    for (item& it : batch) rows.push_back(std::move(it.row));
    const auto plan = [&] {
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i].row = std::move(rows[i]);
        rows.clear();
        const std::vector<group_choice> groups = index_.plan(items);
        if (step) {
            const auto decisions = index_.decisions_of(groups);
            const auto members = index_.members_before(groups);
            std::vector<planned> planned_groups;
            planned_groups.reserve(batch.size());
            for (std::size_t i = 0; i < batch.size(); ++i)
                planned_groups.push_back({groups[i], decisions[i], members[i]});
            step(batch, planned_groups);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            batch[i].row.group = groups[i];
            rows.push_back(std::move(batch[i].row));
        }
    };

    // The commit's time: the transaction's (with a shared store, the plan inside it too).
    auto t0 = std::chrono::steady_clock::now();
    result<std::vector<insert_outcome>> stored = std::vector<insert_outcome>{};
    std::map<std::int64_t, std::uint64_t> through;  // shared_: the events' numbers before the batch
    if (!shared_) {
        // One process: this mutex orders the batches; plan off the store's transaction.
        plan();
        t0 = std::chrono::steady_clock::now();
        stored = questions_.insert_batch_unsynced(rows);
    } else {
        batch_events events;
        for (const question_insert& row : rows) {
            auto known = accounted_.find(row.q.event_id);
            events.emplace(row.q.event_id, known == accounted_.end() ? 0 : known->second);
        }
        stored = questions_.insert_planned_batch(events, rows, [&](const committed_elsewhere& since) {
            catch_up(since);
            through = since.through;
            plan();
            return status::ok();
        });
    }
    if (on_committed_)
        on_committed_(batch.size(),
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!stored) return stored;  // nothing stored, nothing indexed

    std::vector<near_duplicate_index::entry> committed;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const insert_outcome& o = (*stored)[i];
        if (!o.inserted) continue;
        // The batch's own changes take the numbers after `through`, one per stored question.
        if (auto e = through.find(o.stored.event_id); e != through.end()) ++e->second;
        std::string& normal = rows[i].group_text.empty() ? rows[i].search_text : rows[i].group_text;
        committed.push_back({o.stored.id, o.stored.event_id, o.stored.cluster_id, std::move(normal),
                             std::move(batch[i].fp)});
    }
    index_.commit(std::move(committed));
    for (const auto& [event, last] : through) accounted_[event] = last;
    return stored;
}

}  // namespace tribune

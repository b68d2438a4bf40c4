#pragma once
// group_commit: the last step of ingest for a batch of scored questions — choose each one's
// near-duplicate group (near_duplicate_index::plan), let the steps that depend on the group run
// (before_insert: the group's inherited decision, issue 10), store the batch in one transaction
// (question_store::insert_batch_unsynced, which only writes the chosen groups), and only once
// that committed, add the stored questions to the index. Batches run one at a time, so each plan
// sees every earlier commit; a batch that fails leaves no candidate behind.
//
// A moderator's decision runs between two batches (between_batches): its transaction and the
// index's update of the group decisions it changed happen under the same mutex, so no batch
// is planned against a decision that committed but is not in memory yet, or that was withdrawn
// but still is (near_duplicate_index.hpp, "GROUP DECISIONS").
//
// SEVERAL INSTANCES on one database (options::track_ids): the store plans each batch inside its
// transaction, under its events' numbering locks (question_store::insert_planned_batch), with
// what other instances committed since the last change of each event this index accounted for
// (its own batches, and what absorb() received in order): so a batch sees every commit of its
// events before it, wherever it was made, and near-duplicates posted at once to two instances
// join one group; a group decision made on another instance is inherited at once.
//
// Ownership: borrows the store (it must outlive this); owns the index.
// Thread safety: every method is safe from any thread; run(), between_batches() and load()
// serialise on one mutex (lock order: this mutex, then the store's).

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/domain/group_decision.hpp"
#include "core/service/event_sink.hpp"
#include "core/service/policy_service.hpp"
#include "core/store/question_store.hpp"
#include "core/triage/near_duplicate_index.hpp"
#include "core/triage/triage_policy.hpp"

namespace tribune {

class group_commit {
public:
    // A scored question and its grouping fingerprint, computed off any lock.
    struct item {
        question_insert row;  // row.group is set by run()
        near_duplicate_index::fingerprint fp;
        // The rule of row.q's verdict, the word-list matches and the event's policy it was
        // triaged under (empty when it could not be read): what the steps before the insert
        // decide from (a step that moves scores re-runs policy->source.thresholds.evaluate).
        verdict_rule rule = verdict_rule::unscored;
        // The rule of the verdict row.q got with the event's correction (equal to `rule` when
        // the correction did not move it): what the unsure rule reads (unsure_decision.hpp).
        verdict_rule triaged_rule = verdict_rule::unscored;
        std::vector<word_match> words{};
        std::shared_ptr<const compiled_policy> policy{};
    };
    // The group grouping chose for an item, as the steps before the insert see it.
    struct planned {
        group_choice choice;
        std::optional<group_decision> decision;  // the group's, when a moderator decided it
        std::uint32_t members = 0;  // the group's members before this one (near_duplicate_index::members_before)
    };
    // Runs under the batch lock between grouping and the insert, once per batch; may change the
    // rows' status, verdict and `inherited` (never their group or text).
    using before_insert =
        std::function<void(std::vector<item>& batch, const std::vector<planned>& groups)>;
    // Called after each insert_batch with the batch size and the seconds it took.
    using commit_observer = std::function<void(std::size_t batch_size, double seconds)>;

    group_commit(question_store& questions, near_duplicate_index::options o,
                 commit_observer on_committed = {});

    // The fingerprint grouping compares, from the question's normal form.
    near_duplicate_index::fingerprint fingerprint_of(std::string_view normal_text) const {
        return index_.detector().fingerprint_of_normalized(normal_text);
    }

    // Rebuilds the index from the store (at start). Errors: the store's.
    status load();
    // Groups, runs `step`, stores and indexes the batch. Outcomes as
    // question_store::insert_batch. Consumes the items' fingerprints and texts. The batch is
    // committed but may not be durable yet: durable once questions.make_durable() returned
    // (question_store::insert_batch_unsynced).
    result<std::vector<insert_outcome>> run(std::vector<item>& batch, const before_insert& step = {});

    // Runs `decide` (a moderator's decision, its whole transaction) between two batches, then
    // records in the index the group decisions it reports in `changed`.
    void between_batches(const std::function<void(std::vector<group_decision_change>& changed)>& decide);

    // A change committed to a database several instances share, as the change_source
    // delivers it (this instance's own included) with its number `seq` in its event, recorded
    // in the index between two batches:
    // a new question not in the index yet (another instance stored it) is read from the store
    // (its grouping row) and added, so it is a candidate for the questions planned after; a
    // moderator's move (an update with an actor) re-reads its group's decision from the store,
    // so the questions that join the group after inherit it. The store decides: what this
    // reads is what the committing instance wrote. Other changes are ignored.
    // REQUIRES: options::track_ids (this instance's own questions are then skipped, exactly,
    // since a batch enters the index under the mutex this takes). Errors: the store's (the
    // index lacks that question or decision until the next batch of its event catches up).
    // A change numbered at or below what this index accounted for is skipped; one numbered
    // right after it moves that position on (a batch of the event then needs no catch-up).
    status absorb(const question_change& c, std::optional<std::uint64_t> seq = std::nullopt);

    const near_duplicate_index& index() const { return index_; }

private:
    question_store& questions_;
    const commit_observer on_committed_;
    // Adds what other instances committed (a batch's catch-up) to the index.
    // REQUIRES: mutex_ held (both).
    void catch_up(const committed_elsewhere& since);
    status absorb_locked(const question_change& c);

    std::mutex mutex_;  // one batch or decision at a time, from plan to index
    near_duplicate_index index_;
    const bool shared_;  // options::track_ids: fed other instances' commits
    // With shared_: per event, the number of its last change the index accounts for.
    std::map<std::int64_t, std::uint64_t> accounted_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune

#pragma once
// ingest_pipeline: the way in of a question, written once, here. Three stages, each on its
// own threads, joined by bounded queues, so that scoring, the commit and the answers overlap:
//
//   submit (any thread): validate -> bounded ingest queue (full: unavailable, queue_full)
//   scoring workers (options.workers), each question: prepare the text once, canonical text
//       included, with the event's policy (prepare_text) -> classify (the canonical text) ->
//       "is it a question?" (options.question_model, once per question) -> word lists (the
//       whole text) -> triage verdict, with the event's correction learned from its
//       moderators when the policy learns (triage, event_correction.hpp) ->
//       fingerprint for grouping (canonical) (score_one) -> the scored queue (waits while full)
//   the committer (one thread), each batch: takes every scored question waiting, up to
//       options.max_batch -> group_commit (choose groups with the near-duplicate index -> the
//       correction's escalation in a grown group with no decision, or the group's decision,
//       inherited (before_insert, decision_inheritance.hpp) -> one transaction -> index what
//       was committed) -> the committed queue
//   the completer (one thread), all batches waiting: make them durable (one fsync of the
//       WAL for all, question_store::make_durable) -> per batch: completion callbacks (the
//       server answers 201) -> event_sink (broadcast)                      (complete)
// The committer does nothing but group and write, so its batch is whatever arrived during the
// previous commit: under load one commit carries hundreds of questions. Its COMMIT does not
// wait for the disk (insert_batch_unsynced): the completer's fsync covers every batch
// committed before it while the committer writes the next, and a 201 goes out only after it.
// Scoring reads the correction as a snapshot (correction_source): it never waits for the
// learning's fits.
//
// Ownership: borrows the stores, classifier, sink and policies; they must outlive it.
// Thread safety: submit() and queue_depth() from any thread; load_groups(), start() and
// stop() from one thread. Completion callbacks run on the completer thread, one at a time,
// in commit order, and must not block.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/classify/classifier.hpp"
#include "core/service/correction_source.hpp"
#include "core/service/event_id_cache.hpp"
#include "core/service/external_id_filter.hpp"
#include "core/service/event_sink.hpp"
#include "core/service/policy_service.hpp"
#include "core/service/service_options.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"
#include "core/service/group_commit.hpp"
#include "core/util/bounded_queue.hpp"

namespace tribune {

struct submission {
    std::string event_slug;
    std::string text;
    std::optional<std::string> author;
    std::optional<std::string> source;
    std::optional<std::string> external_id;
    // Set by the social bridges only (the REST API takes neither, docs/api.md): the original
    // post's link, and its own time (ms since the epoch). A time later than the question's
    // arrival, or not positive, is replaced by the arrival time when it is stored.
    std::optional<std::string> origin_url{};
    std::optional<timestamp_ms> posted_at{};
};

struct submit_outcome {
    question q;
    bool created = true;  // false: an earlier question with the same (source, external_id)
};

class ingest_pipeline {
public:
    using submit_callback = std::function<void(result<submit_outcome>)>;

    // `corrections` (may be null: no learning) gives each event's correction learned from its
    // moderators' decisions; applied to every new question whose event's policy learns.
    ingest_pipeline(event_store& events, question_store& questions, const classifier& model,
                    event_sink& sink, policy_service& policies, const service_options& options,
                    const correction_source* corrections = nullptr);
    ~ingest_pipeline();
    ingest_pipeline(const ingest_pipeline&) = delete;
    ingest_pipeline& operator=(const ingest_pipeline&) = delete;

    // Rebuilds the near-duplicate index from the store. Errors: the store's.
    status load_groups();
    // Loads the groups unless load_groups() already did, then starts the scoring workers.
    // On error no worker is started.
    status start();
    // Stops taking submissions, scores and commits everything already queued (each queued
    // callback is called), then joins the workers. Idempotent.
    void stop();

    // Validates and enqueues. A non-ok status is returned at once (and `done` is never
    // called): invalid_argument (text_required, text_too_long, invalid_utf8, invalid_field),
    // not_found (event_not_found), unavailable (queue_full, shutting_down). Otherwise `done`
    // is called exactly once, after the commit, from a worker thread — or at once from this
    // thread for a retry of an already stored (source, external_id).
    status submit(submission s, submit_callback done);
    // What submit() checks of a submission's own fields, without its event or the queue:
    // invalid_argument (text_required, text_too_long, invalid_utf8, invalid_field).
    status check(const submission& s) const;

    // Questions waiting for a scoring worker.
    std::size_t queue_depth() const { return queue_.size(); }
    const near_duplicate_index& groups() const { return commit_.index(); }
    // The group commit, for moderation_service to run decisions between batches.
    group_commit& commit() { return commit_; }

private:
    using time_point = std::chrono::steady_clock::time_point;
    // When a question entered the ingest queue, a scoring worker took it, and it was scored.
    struct item_times {
        time_point submitted, scoring, scored;
    };
    struct pending_item {
        question q;
        submit_callback done;
        time_point submitted{};
    };
    struct scored_item {
        group_commit::item row;
        submit_callback done;
        item_times times{};
    };
    struct committed_batch {
        std::vector<submit_callback> done;
        result<std::vector<insert_outcome>> outcomes = std::vector<insert_outcome>{};
        std::vector<item_times> times;  // per question, as done
        time_point commit_started{}, committed{};
    };
    void score_loop();
    void commit_loop();
    void complete_loop();
    // Scores, triages and fingerprints one question.
    group_commit::item score_one(question q);
    // The verdict under the event's policy, with the event's correction when it learns (and
    // q.correction set when that shifted the scores).
    // raw_rule: the shipped model's own rule, when the correction was applied.
    verdict triage(question& q, const prepared_text* text, const compiled_policy& pol,
                   const std::vector<word_match>& words, std::optional<verdict_rule>& raw_rule) const;
    // The correction's escalation (event_correction.hpp) of a question whose group has
    // `members` members and no moderator's decision.
    void escalate(group_commit::item& it, std::uint32_t members) const;
    // "Auto-decided, unsure" (unsure_decision.hpp) of a question in review by a score whose
    // group has `members` members and no moderator's decision.
    void decide_unsure(group_commit::item& it, std::uint32_t members) const;
    // Between grouping and the insert, under the batch lock: each question joining a group a
    // moderator decided takes the decision (when its event's policy inherits).
    // Before that, a question the event's correction settled close to a line, joining a group
    // with no moderator's decision that has grown, goes to review (escalate).
    void before_insert(std::vector<group_commit::item>& batch,
                       const std::vector<group_commit::planned>& groups) const;
    // Answers a committed batch (with `durable`'s error when its sync failed) and announces
    // what it stored.
    // sync_started / synced: the fsync that made it durable (ingest_stages).
    void complete(committed_batch b, const status& durable, time_point sync_started, time_point synced);

    event_store& events_;
    question_store& questions_;
    const classifier& model_;
    event_sink& sink_;
    policy_service& policies_;
    const service_options& options_;
    const correction_source* corrections_;
    // The events submit() found by slug (their id and slug never change).
    event_id_cache known_events_;
    // The identities of the stored questions (filled by load_groups(), then by each commit):
    // submit() looks up in the store only those it may contain.
    external_id_filter known_ids_;
    std::atomic<bool> known_ids_ready_{false};

    bounded_queue<pending_item> queue_;
    bounded_queue<scored_item> scored_;
    bounded_queue<committed_batch> committed_;
    std::vector<std::thread> scorers_;
    std::thread committer_;
    std::thread completer_;
    std::atomic<bool> stopped_{false};
    bool groups_loaded_ = false;

    group_commit commit_;
};

}  // namespace tribune

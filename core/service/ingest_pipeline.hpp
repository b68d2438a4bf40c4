#pragma once
// ingest_pipeline: the way in of a question, written once, here. Three stages, each on its
// own threads, joined by bounded queues, so that scoring, the commit and the answers overlap:
//
//   submit (any thread): validate -> bounded ingest queue (full: unavailable, queue_full)
//   scoring workers (options.workers), each question: prepare the text once (prepare_text)
//       -> classify -> word lists -> triage verdict -> fingerprint for grouping (score_one)
//       -> the scored queue (waits while it is full)
//   the committer (one thread), each batch: takes every scored question waiting, up to
//       options.max_batch -> group_commit (choose groups with the near-duplicate index -> one
//       transaction -> index what was committed) -> the committed queue
//   the completer (one thread), each batch: completion callbacks (the server answers 201)
//       -> event_sink (broadcast)                                          (complete)
// The committer does nothing but group and write, so its batch is whatever arrived during the
// previous commit: under load one commit (one fsync) carries hundreds of questions.
// Seams for what comes next: the triage issue's canonical text goes into prepare_text(); its
// per-event correction of scores and its decisions inherited from a group go between
// grouping and the commit.
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
};

struct submit_outcome {
    question q;
    bool created = true;  // false: an earlier question with the same (source, external_id)
};

class ingest_pipeline {
public:
    using submit_callback = std::function<void(result<submit_outcome>)>;

    ingest_pipeline(event_store& events, question_store& questions, const classifier& model,
                    event_sink& sink, policy_service& policies, const service_options& options);
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

    // Questions waiting for a scoring worker.
    std::size_t queue_depth() const { return queue_.size(); }
    const near_duplicate_index& groups() const { return commit_.index(); }

private:
    struct pending_item {
        question q;
        submit_callback done;
    };
    struct scored_item {
        group_commit::item row;
        submit_callback done;
    };
    struct committed_batch {
        std::vector<submit_callback> done;
        result<std::vector<insert_outcome>> outcomes = std::vector<insert_outcome>{};
    };
    void score_loop();
    void commit_loop();
    void complete_loop();
    // Scores, triages and fingerprints one question.
    group_commit::item score_one(question q);
    void complete(committed_batch b);

    event_store& events_;
    question_store& questions_;
    const classifier& model_;
    event_sink& sink_;
    policy_service& policies_;
    const service_options& options_;

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

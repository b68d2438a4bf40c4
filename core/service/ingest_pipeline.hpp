#pragma once
// ingest_pipeline: the way in of a question, written once, here:
//
//   submit (any thread): validate -> bounded ingest queue (full: unavailable, queue_full)
//   scoring worker, each question: prepare the text once (prepare_text) -> classify ->
//       "is it a question?" (options.question_model) -> word lists -> triage verdict ->
//       fingerprint for grouping                                          (score_one)
//   scoring worker, each batch: group_commit (choose groups with the near-duplicate index ->
//       one transaction -> index what was committed; one batch at a time) -> completion
//       callbacks (the server answers 201) -> event_sink (broadcast)         (process)
// Seams for what comes next: the triage issue's canonical text goes into prepare_text(); its
// per-event correction of scores and its decisions inherited from a group go between
// grouping and the commit. The speed issue's batching is options.max_batch and the queue;
// the write transaction only writes.
//
// Ownership: borrows the stores, classifier, sink and policies; they must outlive it.
// Thread safety: submit() and queue_depth() from any thread; load_groups(), start() and
// stop() from one thread. Completion callbacks run on a scoring worker and must not block.

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

    std::size_t queue_depth() const { return queue_.size(); }
    const near_duplicate_index& groups() const { return commit_.index(); }

private:
    struct pending_item {
        question q;
        submit_callback done;
    };
    void worker_loop();
    void process(std::vector<pending_item> batch);
    // Scores, triages and fingerprints one question.
    group_commit::item score_one(question q);

    event_store& events_;
    question_store& questions_;
    const classifier& model_;
    event_sink& sink_;
    policy_service& policies_;
    const service_options& options_;

    bounded_queue<pending_item> queue_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopped_{false};
    bool groups_loaded_ = false;

    group_commit commit_;
};

}  // namespace tribune

#pragma once
// question_service: the moderation use cases. The flow of a question is written once, here:
//
//   submit: validate -> bounded ingest queue -> scoring worker: classify -> triage verdict ->
//           group commit of the whole batch (one transaction) -> completion callback (the
//           server answers 201) -> event_sink (broadcast).
//   decide: validate -> store (status + audit row, one transaction) -> event_sink.
//
// Ownership: borrows the store, classifier and sink; they must outlive the service.
// Thread safety: every public method is safe from any thread. Completion callbacks run on a
// scoring worker thread and must not block (post the answer to the connection's strand).

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/bounded_queue.hpp"
#include "core/classifier.hpp"
#include "core/event_sink.hpp"
#include "core/status.hpp"
#include "core/store.hpp"
#include "core/triage_policy.hpp"

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

struct decision_input {
    std::int64_t question_id = 0;
    std::string action;  // approve | reject | hold
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expected_version;
};

struct service_options {
    std::size_t max_text_chars = 2000;
    std::size_t max_field_chars = 200;   // author, source, external_id
    std::size_t max_reason_chars = 1000;
    std::size_t queue_capacity = 10000;
    std::size_t max_batch = 256;
    int workers = 1;
    // Observers for metrics; called on worker threads. May be empty.
    std::function<void(double seconds)> on_scored;
    std::function<void(std::size_t batch_size, double seconds)> on_committed;
};

class question_service {
public:
    using submit_callback = std::function<void(result<submit_outcome>)>;

    question_service(store& db, const classifier& model, event_sink& sink, triage_policy policy,
                     service_options options);
    ~question_service();
    question_service(const question_service&) = delete;
    question_service& operator=(const question_service&) = delete;

    // Starts the scoring workers.
    void start();
    // Stops taking submissions, scores and commits everything already queued (each queued
    // callback is called), then joins the workers. Idempotent.
    void stop();

    // Validates and enqueues. A non-ok status is returned at once (and `done` is never
    // called): invalid_argument (text_required, text_too_long, invalid_utf8, invalid_field),
    // not_found (event_not_found), unavailable (queue_full, shutting_down). Otherwise `done`
    // is called exactly once, after the commit, from a worker thread — or at once from this
    // thread for a retry of an already stored (source, external_id).
    status submit(submission s, submit_callback done);

    // Errors: invalid_argument (unknown_action, invalid_field), not_found, conflict
    // (version_conflict), unavailable.
    result<question> decide(const decision_input& d);

    std::size_t queue_depth() const { return queue_.size(); }
    const classifier& model() const { return model_; }

private:
    struct pending_item {
        question q;
        bool premoderate = false;
        submit_callback done;
    };

    void worker_loop();
    void process(std::vector<pending_item> batch);

    store& db_;
    const classifier& model_;
    event_sink& sink_;
    const triage_policy policy_;
    const service_options options_;
    bounded_queue<pending_item> queue_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopped_{false};
};

}  // namespace tribune

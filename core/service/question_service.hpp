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
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/util/bounded_queue.hpp"
#include "core/classify/classifier.hpp"
#include "core/service/event_sink.hpp"
#include "core/domain/status.hpp"
#include "core/store/store.hpp"
#include "core/triage/triage_policy.hpp"
#include "core/text/word_list.hpp"

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
    std::string action;  // approve | reject | hold | restore | answer
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expected_version;
};

struct bulk_decision_input {
    std::string event_slug;
    std::vector<std::int64_t> ids;
    std::string action;
    std::string actor;
    std::string reason;
    std::map<std::int64_t, std::int64_t> expected_versions;  // id -> version the moderator saw
    // Instead of ids: every question of this near-duplicate group that is in one of `from`
    // (default pending and held) now, oldest first, at most max_bulk of them. Each is decided
    // only if still in one of `from` when the transaction runs (else invalid_transition).
    std::optional<std::int64_t> cluster;
    std::vector<question_status> from;
};

struct bulk_item {
    std::int64_t id = 0;
    result<question> outcome;  // the updated question, or why this one was not changed
};

struct bulk_outcome {
    std::vector<bulk_item> items;  // in the order of the ids (of the group: oldest first)
    bool more = false;             // a group had more than max_bulk questions to decide
};

struct dry_run_move {
    question q;
    question_status to = question_status::pending;
    std::string reason;
};

struct dry_run_report {
    std::int64_t considered = 0;  // questions whose status is still the automatic verdict
    std::int64_t would_move = 0;
    std::map<std::pair<question_status, question_status>, std::int64_t> moves;  // from,to -> n
    std::vector<dry_run_move> samples;                                          // at most 20
};

struct service_options {
    std::size_t max_text_chars = 2000;
    std::size_t max_field_chars = 200;   // author, source, external_id
    std::size_t max_reason_chars = 1000;
    std::size_t queue_capacity = 10000;
    std::size_t max_batch = 256;
    std::size_t max_bulk = 1000;  // questions in one bulk decision
    int workers = 1;
    std::chrono::milliseconds undo_window{60'000};
    // Observers for metrics; called on worker threads. May be empty.
    std::function<void(double seconds)> on_scored;
    std::function<void(std::size_t batch_size, double seconds)> on_committed;
};

class question_service {
public:
    using submit_callback = std::function<void(result<submit_outcome>)>;

    // Each event's triage policy comes from the store (triage_policy::defaults() until an
    // admin changes it).
    question_service(store& db, const classifier& model, event_sink& sink,
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
    // (version_conflict, invalid_transition), unavailable.
    result<question> decide(const decision_input& d);
    // One transaction, one broadcast. Items that are stale or missing are reported per item.
    // Errors: invalid_argument (unknown_action, invalid_field, too_many), not_found (event),
    // unavailable.
    result<bulk_outcome> decide_bulk(const bulk_decision_input& d);
    // Reverts the actor's own last decision within the undo window.
    // Errors: not_found; conflict (undo_unavailable).
    result<question> undo(std::int64_t question_id, const std::string& actor);
    // Errors: not_found; conflict (not_votable); invalid_argument (invalid_field).
    result<question> vote(std::int64_t question_id, const std::string& voter);

    // The event's policy. Errors: not_found (event_not_found).
    result<event_policy> policy(const std::string& event_slug);
    // Validates, saves and applies to the next question at once.
    // Errors: invalid_argument (invalid_threshold, and the word-list codes of word_list::build).
    result<event_policy> set_policy(const std::string& event_slug, const event_policy& p);
    // What `p` would move among the event's questions still at their automatic verdict.
    result<dry_run_report> dry_run(const std::string& event_slug, const event_policy& p);

    std::size_t queue_depth() const { return queue_.size(); }
    const classifier& model() const { return model_; }

private:
    struct pending_item {
        question q;
        submit_callback done;
    };

    // An event's policy compiled for the scoring workers. Immutable once published.
    struct compiled_policy {
        event_policy source;
        std::shared_ptr<const word_list> words;
    };

    // Validates the thresholds and builds the word list. Errors: invalid_threshold and the
    // codes of word_list::build.
    static result<std::shared_ptr<const compiled_policy>> compile(const event_policy& p);
    result<std::shared_ptr<const compiled_policy>> policy_for(std::int64_t event_id);

    void worker_loop();
    void process(std::vector<pending_item> batch);

    store& db_;
    const classifier& model_;
    event_sink& sink_;
    const service_options options_;
    bounded_queue<pending_item> queue_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopped_{false};

    std::mutex policies_mutex_;
    // event id -> policy in force; GUARDED_BY(policies_mutex_) (the map, not the policies)
    std::map<std::int64_t, std::shared_ptr<const compiled_policy>> policies_;
};

}  // namespace tribune

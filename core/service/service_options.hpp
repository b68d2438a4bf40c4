#pragma once
// service_options: the limits and sizes of the question services (ingest, moderation), set
// once at start from the server's configuration.
//
// Thread safety: a plain value, read-only once the services are built.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string_view>

#include "core/triage/event_learner.hpp"
#include "core/triage/unsure_decision.hpp"

namespace tribune {

class question_signal;  // core/service/question_signal.hpp

// Where one stored question's time went between submit() and its answer (seconds), for the
// tail of the ingest latency: each stage is a wait for the stage after it, or that stage.
struct ingest_stages {
    double queued = 0;     // in the ingest queue, until a scoring worker took it
    double scoring = 0;    // scored, triaged and fingerprinted
    double to_commit = 0;  // scored, waiting for the group commit that took it (the one running)
    double commit = 0;     // its group commit: grouping, the insert, COMMIT
    double to_sync = 0;    // committed, waiting for the fsync that covers it to start
    double sync = 0;       // that fsync (question_store::make_durable)
};

struct service_options {
    std::size_t max_text_chars = 2000;
    std::size_t max_field_chars = 200;   // author, source, external_id, moderator
    std::size_t max_reason_chars = 1000;
    std::size_t queue_capacity = 10000;
    std::size_t max_batch = 1024;
    std::size_t max_bulk = 1000;  // questions in one bulk decision
    int workers = 1;
    std::chrono::milliseconds undo_window{60'000};
    // The near-duplicate index's window: the most recent questions (all events) a new one
    // is compared with (near_duplicate_index.hpp).
    std::size_t grouping_window = std::size_t{1} << 17;
    // True when other processes commit to the same database (PostgreSQL shared by several
    // instances): the index then tracks ids, so question_service::absorb() can feed it.
    bool shared_store = false;
    // The per-event correction learned from moderators' decisions (event_learning_service):
    // its learner's settings, and how often to look for decisions made by another instance.
    learning_options learning;
    std::chrono::milliseconds learning_poll{5000};
    // The "is it a question?" signal, asked once per question on the scoring worker; null:
    // questions are stored without it (question_probability empty). Borrowed: it must
    // outlive the services.
    const question_signal* question_model = nullptr;
    // Observers for metrics; called on worker threads. May be empty.
    std::function<void(double seconds)> on_scored;
    std::function<void(std::size_t batch_size, double seconds)> on_committed;
    // Per stored question, on the completer thread just before its answer.
    std::function<void(const ingest_stages&)> on_stages;
    // A new question's triage with the event's correction: `effect` is "shifted" (its status
    // unchanged), "moved" (the correction changed its status) or "escalated" (sent to review by
    // the correction's escalation, event_correction.hpp).
    // "unsure": decided on a guess while its group is small (unsure_decision.hpp).
    std::function<void(std::string_view effect)> on_corrected;
    // The "auto-decided, unsure" rule for events whose policy has auto_decide_unsure on.
    unsure_rule unsure;
};

}  // namespace tribune

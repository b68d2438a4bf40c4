#pragma once
// question_service: the question use cases behind one object, as the server wires and calls
// them. Each use case lives in its own class:
//
//   ingest_pipeline     submit -> queue -> score -> group -> group commit -> 201 -> broadcast
//   moderation_service  decide, decide in bulk, undo
//   policy_service      an event's triage policy: read, set, dry-run; compiled for scoring
//   event_learning_service  each event's correction learned from its moderators' decisions
//   vote (here)         the audience's votes
//
// Each takes only the narrow store interfaces it uses (core/store/), so a test can fake them;
// the constructor taking the aggregate `store` is for wiring.
//
// Ownership: borrows the stores, classifier and sink; they must outlive the service.
// Thread safety: every public method is safe from any thread, except start() and stop()
// (one thread). Completion callbacks run on a scoring worker thread and must not block (post
// the answer to the connection's strand).

#include <string>

#include "core/classify/classifier.hpp"
#include "core/service/event_learning_service.hpp"
#include "core/service/event_sink.hpp"
#include "core/service/ingest_pipeline.hpp"
#include "core/service/moderation_service.hpp"
#include "core/service/policy_service.hpp"
#include "core/service/service_options.hpp"
#include "core/store/store.hpp"

namespace tribune {

// The narrow stores the question services use.
struct question_stores {
    event_store& events;
    question_store& questions;
    decision_store& decisions;
    audience_store& audience;
    learning_store& learning;
};

class question_service {
public:
    using submit_callback = ingest_pipeline::submit_callback;

    question_service(question_stores db, const classifier& model, event_sink& sink,
                     service_options options);
    question_service(store& db, const classifier& model, event_sink& sink,
                     service_options options)
        : question_service(question_stores{db, db, db, db, db}, model, sink, std::move(options)) {}
    question_service(const question_service&) = delete;
    question_service& operator=(const question_service&) = delete;

    // Rebuilds the near-duplicate index from the store; call before start() to see an error
    // (start() loads it otherwise). Errors: the store's.
    status load_groups() { return ingest_.load_groups(); }
    // Rebuilds every event's learned correction, then starts the scoring workers.
    // Errors: the store's, when the corrections or the groups cannot be loaded.
    status start();
    // Stops taking submissions, scores and commits everything already queued (each queued
    // callback is called), joins the workers, then stops the learning. Idempotent.
    void stop() {
        ingest_.stop();
        learning_.stop();
    }

    // See ingest_pipeline::check.
    status check(const submission& s) const { return ingest_.check(s); }
    // See ingest_pipeline::submit.
    status submit(submission s, submit_callback done) {
        return ingest_.submit(std::move(s), std::move(done));
    }
    // See moderation_service. Each decision is also a label for the event's correction.
    result<question> decide(const decision_input& d);
    result<bulk_outcome> decide_bulk(const bulk_decision_input& d);
    result<question> undo(std::int64_t question_id, const std::string& actor);
    // One vote per voter (a key made by voter_key_for_id / voter_key_for_address).
    // Errors: not_found; conflict (not_votable); invalid_argument (invalid_field: empty).
    result<question> vote(std::int64_t question_id, const std::string& voter);

    // See policy_service.
    result<event_policy> policy(const std::string& event_slug) { return policies_.policy(event_slug); }
    result<event_policy> set_policy(const std::string& event_slug, const event_policy& p) {
        return policies_.set_policy(event_slug, p);
    }
    result<dry_run_report> dry_run(const std::string& event_slug, const event_policy& p) {
        return policies_.dry_run(event_slug, p);
    }

    // See event_learning_service.
    result<learning_report> learning(const std::string& event_slug) {
        return learning_.report(event_slug);
    }
    result<learning_report> reset_learning(const std::string& event_slug, const std::string& actor) {
        return learning_.reset(event_slug, actor);
    }
    // The event's learned correction, now (tests, the simulator's checks).
    event_learning_service& learning_service() { return learning_; }

    // A change committed to a shared database, from the change_source, numbered `seq` in its
    // event (group_commit::absorb): feeds the near-duplicate index with other instances'
    // questions and group decisions; a moderator's change (any instance's) also has the
    // event's correction refreshed soon (event_learning_service::decided).
    // REQUIRES: service_options::shared_store. Any thread.
    status absorb(const question_change& c, std::optional<std::uint64_t> seq = std::nullopt) {
        if (c.kind == change_kind::updated && !c.actor.empty()) learning_.decided(c.q.event_id);
        return ingest_.commit().absorb(c, seq);
    }

    std::size_t queue_depth() const { return ingest_.queue_depth(); }
    const classifier& model() const { return model_; }

private:
    question_store& questions_;
    audience_store& audience_;
    const classifier& model_;
    event_sink& sink_;
    const service_options options_;
    policy_service policies_;
    event_learning_service learning_;
    // Its workers stop first of what they use (policies_, learning_, the stores): destroyed
    // before them.
    ingest_pipeline ingest_;
    moderation_service moderation_;  // decides between ingest_'s batches
};

}  // namespace tribune

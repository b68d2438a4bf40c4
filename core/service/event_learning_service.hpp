#pragma once
// event_learning_service: learning from the moderators during an event (issue 10, part 3).
// For every event it keeps an event_learner fed with the event's moderator decisions and
// publishes the event_correction fitted from them, which the scoring workers apply to each new
// question (ingest_pipeline) and the policy dry-run previews (policy_service).
//
// SOURCE OF TRUTH: the audit trail. The labels are the moderators' rows of `decisions`
// (learning_store::label_decisions), read in id order from the event's reset watermark; an
// admin's reset stores a new watermark (the latest decision id) and forgets the labels. So a
// restart rebuilds the same correction at start(), and several instances sharing one database
// each rebuild and refresh the same one (a refresh also notices another instance's reset). The
// fit is deterministic (event_learner.hpp), so the same labels give the same correction.
// The features of a labelled question are extracted again from its text with the classifier
// in use: a new model after a restart learns from the same decisions in its own features.
//
// REFRESH: decided() (after a moderator's decision, on the request's thread; on a database
// several instances share, also for every moderator's change another instance committed, as
// the change stream delivers it: question_service::absorb) marks the event and wakes the
// trainer thread, which reads the new decisions, refits and publishes. Every
// options.poll_interval the trainer also looks for decisions and resets made elsewhere
// (another instance): one read of learning_store::learning_mark() when nothing changed. It
// also has the policy_service reload the policies another instance saved
// (policy_service::reload_if_changed: one read of event_store::policy_mark() when none was).
// SEVERAL INSTANCES: each fits its own correction from the same labels in the same order (an
// event's decisions take their ids under its numbering lock, so in commit order: one
// instance never reads past one that commits later), so they agree once each refreshed —
// within the change stream's delay and a fit after a decision, within poll_interval after a
// reset. Nothing is elected: a killed instance leaves nothing behind.
//
// Ownership: borrows the stores, the classifier and the policies; they must outlive it.
// Thread safety: every method is safe from any thread. correction_for() takes one mutex only
// long enough to copy a shared_ptr: scoring never waits for a fit. Refreshes (the trainer
// thread, refresh(), reset()) run one at a time on a second mutex; a fit runs under that one
// only. Lock order: refresh mutex, then the snapshot mutex. The prior estimates' mutex is a
// leaf: nothing else is locked while it is held.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/classify/classifier.hpp"
#include "core/service/correction_source.hpp"
#include "core/service/policy_service.hpp"
#include "core/store/event_store.hpp"
#include "core/store/learning_store.hpp"
#include "core/triage/event_learner.hpp"
#include "core/triage/event_prior.hpp"
#include "core/triage/unsure_decision.hpp"

namespace tribune {

// What GET /api/v1/events/{slug}/learning reports.
struct learning_report {
    bool enabled = true;  // the event's policy applies the correction (learn_from_decisions)
    label_counts counts;  // the labels the correction in force was fitted on
    float bound = 0.0f;   // |delta| allowed now
    bool narrowing = true;  // the event's policy lets the band narrow (narrow_review_band)
    learned_band band;      // the band of the correction in force
    bool unsure = true;     // the event's policy has auto_decide_unsure (and inheritance) on
    unsure_rule unsure_rule_in_force;  // its rule (core/triage/unsure_decision.hpp)
    learning_options options;
    // The label-free prior shift (event_prior.hpp): the estimated share of hostile questions
    // among the event's latest ones, the shift it gives, whether it is in force (learning on
    // and fewer labelled groups than prior_options.until_labels), the scores it has read.
    float prior_share = 0.0f;
    float prior_shift = 0.0f;
    bool prior_in_force = false;
    std::uint64_t prior_observed = 0;
    event_prior_options prior_options;
    std::optional<learning_reset> reset;        // the latest reset, when there was one
    std::int64_t last_decision = 0;             // the latest audit row read
    std::vector<std::pair<std::string, float>> top_words;  // words by the shift they give, largest |shift| first
};

class event_learning_service final : public correction_source {
public:
    struct options {
        learning_options learner;
        unsure_rule unsure;  // reported only (ingest applies it)
        std::chrono::milliseconds poll_interval{5000};
        std::size_t read_batch = 5000;  // audit rows read per query
        event_prior_options prior;
    };

    event_learning_service(event_store& events, learning_store& labels, const classifier& model,
                           policy_service& policies, options o);
    ~event_learning_service() override;
    event_learning_service(const event_learning_service&) = delete;
    event_learning_service& operator=(const event_learning_service&) = delete;

    // Rebuilds every event's correction from the audit trail, then starts the trainer thread.
    // Errors: the store's (nothing is started then).
    status start();
    // Stops the trainer thread. Idempotent.
    void stop();

    std::shared_ptr<const event_correction> correction_for(std::int64_t event_id) const override;
    float observe_prior(std::int64_t event_id, float toxicity, const event_correction* in_force) const override;
    float prior_shift(std::int64_t event_id, const event_correction* in_force) const override;

    // A moderator decided on a question of the event: refresh it soon. Never blocks.
    void decided(std::int64_t event_id);
    // Reads the event's new decisions, refits when they changed its labels, publishes.
    // Synchronous (the trainer thread calls it; so may tests). Errors: the store's.
    status refresh(std::int64_t event_id);

    // Errors: not_found (event_not_found); the store's.
    result<learning_report> report(const std::string& event_slug);
    // Forgets the event's labels: stores the watermark, publishes an empty correction.
    // Errors: not_found (event_not_found); the store's.
    result<learning_report> reset(const std::string& event_slug, const std::string& actor);

private:
    struct event_state {
        event_learner learner;
        std::int64_t after = 0;        // the latest decision id read (or the reset watermark)
        std::int64_t reset_after = 0;  // the watermark in force
        bool loaded = false;
        std::string slug;
        explicit event_state(const learning_options& o) : learner(o) {}
    };

    void trainer_loop();
    // REQUIRES: refresh_mutex_ held.
    status refresh_locked(std::int64_t event_id);
    event_state& state_of(std::int64_t event_id);  // REQUIRES: refresh_mutex_ held
    // One decision into the learner: sets or removes its question's label.
    void apply(event_state& st, const label_decision& d, const canonical_options& canonical);
    void publish(std::int64_t event_id, std::shared_ptr<const event_correction> c);
    // Whether the prior shift applies beside this correction (null: none): fewer labelled
    // groups than options_.prior.until_labels.
    bool prior_applies(const event_correction* c) const;
    std::vector<std::pair<std::string, float>> top_words(const event_state& st,
                                                         const event_correction& c) const;

    event_store& events_;
    learning_store& labels_;
    const classifier& model_;
    policy_service& policies_;
    const options options_;

    std::mutex refresh_mutex_;                            // one refresh or reset at a time
    std::map<std::int64_t, event_state> states_;          // GUARDED_BY(refresh_mutex_)

    mutable std::mutex snapshot_mutex_;
    std::map<std::int64_t, std::shared_ptr<const event_correction>> snapshots_;  // GUARDED_BY(snapshot_mutex_)

    // One estimate per event, fed by the scoring workers; its own mutex, held for an
    // observe() (a histogram update; every prior.every scores an EM over its bins).
    mutable std::mutex prior_mutex_;
    mutable std::map<std::int64_t, event_prior> priors_;  // GUARDED_BY(prior_mutex_)

    std::mutex wake_mutex_;
    std::condition_variable wake_;
    std::set<std::int64_t> dirty_;  // GUARDED_BY(wake_mutex_)
    bool stopping_ = false;         // GUARDED_BY(wake_mutex_)
    // learning_store::learning_mark() at the last poll; trainer thread only.
    std::pair<std::int64_t, std::int64_t> polled_{-1, -1};
    std::thread trainer_;
};

}  // namespace tribune

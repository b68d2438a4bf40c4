#pragma once
// policy_service: each event's triage policy — the thresholds, pre-moderation and word lists an
// admin sets — validated, saved, dry-run against the event's questions, and kept compiled for
// the scoring workers (policy_service::in_force), so an admin's change applies to the next
// question at once.
//
// SEVERAL INSTANCES on one database: a policy saved through another instance is not seen by
// set_policy here; reload_if_changed() (called every poll interval by the learning trainer,
// event_learning_service) reads event_store::policy_mark() and, when it moved, reloads every
// policy kept here, so another instance's change is in force within one poll interval. A store
// only this process writes has no mark: nothing is reloaded, a save applies at once as before.
//
// Ownership: borrows the stores; they must outlive it.
// Thread safety: every method is safe from any thread. A compiled policy is immutable once
// published; a change replaces the pointer. A reload installs nothing when set_policy or a
// first load published a policy after the reload began reading (published_ tells): a save
// here is never undone by an older read, and the next reload reads again.

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/classify/classifier.hpp"
#include "core/domain/status.hpp"
#include "core/service/correction_source.hpp"
#include "core/store/event_store.hpp"
#include "core/store/question_store.hpp"
#include "core/text/word_list.hpp"

namespace tribune {

// An event's policy compiled for scoring.
struct compiled_policy {
    event_policy source;
    std::shared_ptr<const word_list> words;
};

struct dry_run_move {
    question q;
    question_status to = question_status::pending;
    std::string reason;
    std::optional<correction_note> correction;  // what the event correction would do to it
};

struct dry_run_report {
    std::int64_t considered = 0;  // questions whose status is still the automatic verdict
    std::int64_t would_move = 0;
    // Of would_move, those whose new status is the event correction's doing (the policy alone
    // would give another); 0 when the policy does not learn or nothing was learned yet.
    std::int64_t moved_by_correction = 0;
    std::map<std::pair<question_status, question_status>, std::int64_t> moves;  // from,to -> n
    std::vector<dry_run_move> samples;                                          // at most 20
};

class policy_service {
public:
    // With `model` and `corrections` (both or neither), the dry-run also applies the event's
    // correction learned from its moderators' decisions, as ingest would now.
    policy_service(event_store& events, question_store& questions,
                   const classifier* model = nullptr, const correction_source* corrections = nullptr)
        : events_(events), questions_(questions), model_(model), corrections_(corrections) {}

    // The policy in force for the event (triage_policy::defaults() until an admin changes it).
    // Errors: not_found (event_not_found); the store's.
    result<std::shared_ptr<const compiled_policy>> in_force(std::int64_t event_id);

    // Errors: not_found (event_not_found).
    result<event_policy> policy(const std::string& event_slug);
    // Validates, saves and applies to the next question at once.
    // Errors: invalid_argument (invalid_threshold, and the word-list codes of word_list::build).
    result<event_policy> set_policy(const std::string& event_slug, const event_policy& p);
    // What `p` would move among the event's questions still at their automatic verdict, each
    // triaged as a new question would be now (with the event's correction when p learns).
    result<dry_run_report> dry_run(const std::string& event_slug, const event_policy& p);

    // When event_store::policy_mark() moved since the policies kept here were last all read
    // (or one was first loaded since), reloads every one of them from the store and returns
    // the events whose policy in force changed. One read of the mark when nothing changed;
    // nothing at all on a store without a mark. Any thread; one caller at a time is expected
    // (the trainer thread), though concurrent calls are safe.
    // Errors: the store's (the policies kept stay in force; the next call retries).
    result<std::vector<std::int64_t>> reload_if_changed();

    // Validates the thresholds and builds the word list. Errors: invalid_threshold and the
    // codes of word_list::build.
    static result<std::shared_ptr<const compiled_policy>> compile(const event_policy& p);

private:
    event_store& events_;
    question_store& questions_;
    const classifier* model_;
    const correction_source* corrections_;

    std::mutex mutex_;
    // event id -> policy in force; GUARDED_BY(mutex_) (the map, not the policies)
    std::map<std::int64_t, std::shared_ptr<const compiled_policy>> policies_;
    // Policies published by set_policy or a first load in in_force; GUARDED_BY(mutex_)
    std::uint64_t published_ = 0;
    // policy_mark() when the policies kept were last all reloaded; GUARDED_BY(mutex_)
    std::optional<std::pair<std::int64_t, std::int64_t>> polled_;
};

}  // namespace tribune

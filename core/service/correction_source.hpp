#pragma once
// correction_source: where the scoring workers and the policy dry-run find an event's learned
// correction (event_correction.hpp). event_learning_service implements it.
//
// Thread safety: every method is safe from any thread and never waits for training.

#include <cstdint>
#include <memory>

#include "core/triage/event_correction.hpp"

namespace tribune {

class correction_source {
public:
    virtual ~correction_source() = default;
    // The event's correction in force now; null when the event has none.
    virtual std::shared_ptr<const event_correction> correction_for(std::int64_t event_id) const = 0;

    // The event's label-free prior shift (event_prior.hpp) for a new question of the event whose
    // calibrated toxicity is `toxicity`: records the score, and returns the shift in force for
    // the question (0 once `in_force`, the correction_for() the caller holds, null for none,
    // has enough labels to stand on its own). The default (a source with no estimate) records
    // nothing and returns 0. Const: the record is the source's own cache of the event's latest
    // scores, not its correction.
    virtual float observe_prior(std::int64_t /*event_id*/, float /*toxicity*/,
                                const event_correction* /*in_force*/) const {
        return 0.0f;
    }
    // The same shift in force now, recording nothing (the policy dry-run).
    virtual float prior_shift(std::int64_t /*event_id*/, const event_correction* /*in_force*/) const { return 0.0f; }
};

}  // namespace tribune

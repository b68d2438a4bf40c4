#pragma once
// correction_source: where the scoring workers and the policy dry-run find an event's learned
// correction (event_correction.hpp). event_learning_service implements it.
//
// Thread safety: correction_for() is safe from any thread and never waits for training.

#include <cstdint>
#include <memory>

#include "core/triage/event_correction.hpp"

namespace tribune {

class correction_source {
public:
    virtual ~correction_source() = default;
    // The event's correction in force now; null when the event has none.
    virtual std::shared_ptr<const event_correction> correction_for(std::int64_t event_id) const = 0;
};

}  // namespace tribune

#pragma once
// model_features: a classifier's own input for one text, as its model reads it: hashed
// feature ids with their values (already scaled the way the model scales them), ids unique
// and ascending. What the per-event correction (core/triage/event_correction.hpp) learns on,
// so it sees exactly the features the shipped model sees, whatever they are.
//
// The ids mean something only to the classifier instance that produced them: they are
// never stored, and are extracted again from the text after a restart or a model change.
//
// Thread safety: a plain value.

#include <cstdint>
#include <vector>

namespace tribune {

struct model_features {
    std::vector<std::uint32_t> ids;  // ascending, unique
    std::vector<float> values;       // same length as ids

    void clear() {
        ids.clear();
        values.clear();
    }
    bool empty() const { return ids.empty(); }
};

}  // namespace tribune

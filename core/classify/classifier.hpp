#pragma once
// classifier: scores a text for toxicity attributes, locally, with no network access.
//
// Thread safety: classify() is const and must be safe to call from several scoring
// workers at once. Implementations hold only immutable state after construction.

#include <string>
#include <string_view>

#include "core/domain/classification.hpp"
#include "core/domain/status.hpp"

namespace tribune {

class classifier {
public:
    virtual ~classifier() = default;

    // REQUIRES: text is valid UTF-8 (the wire layer checks this).
    // Errors: invalid_argument when the text cannot be scored, internal on a model fault.
    virtual result<classification> classify(std::string_view text) const = 0;

    // A short description for logs and /healthz, e.g. "word-list placeholder".
    virtual std::string name() const = 0;
};

}  // namespace tribune

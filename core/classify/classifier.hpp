#pragma once
// classifier: scores a text for toxicity attributes, locally, with no network access.
//
// Thread safety: classify() is const and must be safe to call from several scoring
// workers at once. Implementations hold only immutable state after construction.

#include <string>
#include <string_view>

#include "core/classify/model_features.hpp"
#include "core/domain/classification.hpp"
#include "core/domain/status.hpp"
#include "core/text/prepared_text.hpp"

namespace tribune {

class classifier {
public:
    virtual ~classifier() = default;

    // REQUIRES: text is valid UTF-8 (the wire layer checks this).
    // Errors: invalid_argument when the text cannot be scored, internal on a model fault.
    virtual result<classification> classify(std::string_view text) const = 0;

    // Scores text the scoring worker prepared once (prepare_text): what ingest calls, so the
    // text is not normalised again. The same result as classify(text.original).
    result<classification> classify(const prepared_text& text) const { return score_prepared(text); }

    // The model's own input for a prepared text (see model_features.hpp): what the per-event
    // correction learns on. Clears `out`; a classifier without hashed features (the
    // placeholder) leaves it empty, and the correction then learns from the scores alone.
    virtual void features(const prepared_text& /*text*/, model_features& out) const { out.clear(); }

    // A short description for logs and /healthz, e.g. "word-list placeholder".
    virtual std::string name() const = 0;

protected:
    // classify(const prepared_text&). The default scores text.original; a classifier that
    // reads the normal form overrides this.
    virtual result<classification> score_prepared(const prepared_text& text) const {
        return classify(std::string_view(text.original));
    }
};

}  // namespace tribune

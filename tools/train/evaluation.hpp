#pragma once
// evaluation: runs the shipped model, reloaded through the production linear_classifier,
// over the report half of the validation split, and collects (score, label) pairs for the metrics.
// Single-threaded use.

#include <string>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "core/domain/classification.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/metrics.hpp"

namespace tribune::train {

struct eval_row {
    const example* ex;
    classification c;
    head_logits raw;  // uncalibrated logits (for the calibration-error comparison)
    std::vector<std::string> words;  // the normalised tokens (for the slices)
};

// Classifies every report-half example's original text (timing goes to the log only, so
// that re-running reproduces the card byte for byte).
std::vector<eval_row> classify_validation(const linear_classifier& clf, const dataset& data);

// Writes one line per validation example (both halves): key, half ("cal"/"rep"), sources,
// lang, labels (prepare_data's column order), the six calibrated scores, the original text.
// For analysis outside the trainer (choose on "cal" rows only).
void dump_predictions(const linear_classifier& clf, const dataset& data, const std::string& path);

// (score, label) of head h over the rows whose label is known, optionally only those of
// language `lang` and those whose sources contain `source` (empty: no filter).
std::vector<scored> collect(const std::vector<eval_row>& rows, std::size_t h, const std::string& lang,
                            const std::string& source);

}  // namespace tribune::train

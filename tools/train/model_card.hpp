#pragma once
// model_card: writes models/MODEL_CARD.md from the training run: the hand-written intro,
// this build's parameters, label counts, thresholds, validation metrics per attribute,
// language and source, comparable published figures, span F1, language detection, and
// the hand-written weaknesses. Deterministic: no timings, no dates.

#include <string>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/text_features.hpp"
#include "tools/train/calibration.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/evaluation.hpp"
#include "tools/train/head_trainer.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

struct card_inputs {
    const options& opt;
    const feature_config& cfg;
    const dataset& data;
    const label_counts& counts;
    const calibration_report& calibration;
    const linear_classifier& clf;
    const std::vector<eval_row>& rows;
};

// Returns the card's text and appends a one-line summary of the headline figures to
// `summary` (printed on stdout by the trainer).
std::string write_model_card(const card_inputs& in, std::string& summary);

}  // namespace tribune::train

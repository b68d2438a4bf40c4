#pragma once
// calibration: Platt scaling of each head, fitted on the calibration half of the validation
// split (never on the rows the card reports). Single-threaded use.

#include <vector>

#include "core/classify/linear_model.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/metrics.hpp"

namespace tribune::train {

// The (a, b) minimising the log loss of sigmoid(a * logit + b) over `v` (score = the
// uncalibrated logit), by Newton's method with a tiny ridge for stability.
head_calibration fit_platt(const std::vector<scored>& v);

// Fits every head of `model` on the calibration half (quantized logits) and stores it.
void calibrate_heads(linear_model& model, const dataset& data);

}  // namespace tribune::train

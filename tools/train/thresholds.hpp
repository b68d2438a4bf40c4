#pragma once
// thresholds: picks each head's decision/review/reject thresholds on the calibrated scores
// of the calibration half of the validation split and stores them in the model.
// Single-threaded use.

#include "core/classify/linear_model.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

// decision/review/reject per head (tools/train/metrics.hpp choose()). "Never reached"
// reject thresholds are stored as +infinity.
// REQUIRES: the model's heads are calibrated.
void choose_head_thresholds(linear_model& model, const dataset& data, const options& opt);

}  // namespace tribune::train

#pragma once
// thresholds: picks each head's decision/review/reject thresholds on the validation split
// and the span fraction on the train part of toxic_spans2021, and stores them in the model.
// Single-threaded use.

#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

// decision/review/reject per head (tools/train/metrics.hpp choose()) from the quantized
// model's validation scores. "Never reached" reject thresholds are stored as +infinity.
void choose_head_thresholds(linear_model& model, const feature_extractor& fx, const dataset& data,
                            const options& opt);

// The span fraction with the best character F1 on the train part of toxic_spans2021, set
// on every head (the other heads have no span supervision). Returns it.
float choose_span_fraction(linear_model& model, const feature_extractor& fx, const dataset& data);

}  // namespace tribune::train

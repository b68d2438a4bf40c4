#pragma once
// span_trainer: trains the token-level span model (linear_model.hpp: the span self and
// context weight columns, the weights of the heads' token shares and of the document's
// toxicity logit, optionally the neighbours' shares) on the gold character spans of
// toxic_spans2021's train split, with up to options::span_negative_docs non-toxic train
// texts as all-negative documents, then picks the token threshold with the
// best character F1 on the calibration half of the validation split.
// Single-threaded and seeded.

#include <cstdint>
#include <string>
#include <vector>

#include "core/classify/linear_model.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

struct span_weights {
    std::vector<float> self, context;  // one per bucket
    span_parameters params;
};

// REQUIRES: `model` holds the trained, quantized and calibrated heads.
span_weights train_span_model(const linear_model& model, const dataset& data, const options& opt);

// Mean SemEval-2021 Task 5 character F1 of the toxicity spans the classifier emits for
// `model`, over the toxic_spans2021 posts among `indices`.
double span_f1_of(const linear_model& model, const dataset& data, const std::vector<std::size_t>& indices);

// Writes, per toxic_spans2021 post of the validation split: key, half, gold offsets, each
// token's original [start, end) and span probability ("a:b:p" comma-separated), the text.
// For analysis outside the trainer.
void dump_span_tokens(const linear_model& model, const dataset& data, const std::string& path);

// Sets the span threshold of `model` with the best span_f1_of on the calibration half.
void choose_span_threshold(linear_model& model, const dataset& data);

}  // namespace tribune::train

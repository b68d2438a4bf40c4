#pragma once
// calibration: Platt scaling of each head, fitted on the calibration half of the validation split (never on the rows the card reports).
// Single-threaded use.

#include <array>
#include <vector>

#include "core/classify/linear_model.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/metrics.hpp"

namespace tribune::train {

// The (a, b) minimising the log loss of sigmoid(a * logit + b) over `v` (score = the
// uncalibrated logit), positives weighted `positive_weight`, by Newton's method with a unit
// ridge toward (1, 0) for stability.
head_calibration fit_platt(const std::vector<scored>& v, double positive_weight = 1.0);

// The class priors a head may be calibrated to: -1 is the calibration half's own mix.
inline constexpr std::array<double, 5> calibration_priors = {-1, 0.2, 0.3, 0.4, 0.5};
// The mix is a candidate only when its share of positives is at most this.
inline constexpr double max_mix_prior = 0.5;

// Which prior each head was calibrated to (-1: the mix).
struct calibration_report {
    std::array<double, heads> prior{};
};

// Fits every head of `model` on the calibration half (quantized logits). For each head, a
// Platt fit per candidate prior (positives reweighted so that their share is the prior);
// the one whose calibrated 0.5 gives the best mean macro-F1 over the half's sources ships,
// so that 0.5 is a sensible operating point on sets of different base rates. A fit that
// does not converge to a finite 0 < a <= 20 is skipped.
calibration_report calibrate_heads(linear_model& model, const dataset& data);

// Logs, per source of the calibration half, the macro-F1 at a calibrated 0.5 against the
// best threshold (how far "0.5" is from each set's own best point). Log only.
void log_threshold_check(const linear_model& model, const dataset& data);

}  // namespace tribune::train

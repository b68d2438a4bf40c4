#pragma once
// calibration: Platt scaling of each head, fitted on the calibration half of the validation split (never on the rows the card reports).
// Single-threaded use.

#include <array>
#include <string>
#include <vector>

#include "core/classify/linear_model.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/metrics.hpp"

namespace tribune::train {

// The (a, b) minimising the log loss of sigmoid(a * logit + b) over `v` (score = the
// uncalibrated logit), positives weighted `positive_weight`, by Newton's method with a
// ridge of `ridge` toward `center` (by default a unit ridge toward (1, 0), for stability;
// `ridge_a`, when not negative, is the ridge on a alone).
head_calibration fit_platt(const std::vector<scored>& v, double positive_weight = 1.0,
                           head_calibration center = {}, double ridge = 1.0, double ridge_a = -1);

// The class priors a head may be calibrated to: -1 is the calibration half's own mix.
inline constexpr std::array<double, 5> calibration_priors = {-1, 0.2, 0.3, 0.4, 0.5};
// The mix is a candidate only when its share of positives is at most this.
inline constexpr double max_mix_prior = 0.5;

// A language's calibration of a head is fitted only when the calibration half holds at
// least this many texts of that language (by language_detector) with the head's label
// known, and this many of each class; otherwise the language keeps the head's main one.
inline constexpr std::size_t min_language_texts = 150;
inline constexpr std::size_t min_language_class = 10;
// Ridge of a language's fit toward the head's main (a, b): a few hundred texts move it,
// a handful do not.
inline constexpr double language_ridge = 5.0;
// A language keeps its own fit only when its mean log loss (positives weighted to the head's
// prior), cross-validated over this many folds of its calibration-half texts, is below
// the main fit's on the same texts...
inline constexpr std::size_t language_folds = 5;
// ... and by at least this share of it (a language whose texts the main fit already fits
// keeps it: English is most of the main fit's texts).
inline constexpr double min_language_gain = 0.01;

// One language's calibration half for one head.
struct language_fit {
    std::size_t n = 0, positives = 0;
    double cv_loss_own = -1, cv_loss_main = -1;  // -1: too few texts to try
    bool shift_only = false;
    bool enabled = true;      // the head is in --language-calibration  // the better candidate kept main's a and fitted b alone
    bool fitted = false;
};

// Which prior each head was calibrated to (-1: the mix), and its per-language fits
// (indexed like calibration_languages).
struct calibration_report {
    std::array<double, heads> prior{};
    std::array<std::array<language_fit, calibration_languages.size()>, heads> language{};
};

// Fits every head of `model` on the calibration half (quantized logits). For each head, a
// Platt fit per candidate prior (positives reweighted so that their share is the prior);
// the one whose calibrated 0.5 gives the best mean macro-F1 over the half's sources ships,
// so that 0.5 is a sensible operating point on sets of different base rates. A fit that
// does not converge to a finite 0 < a <= 20 is skipped. Then, per language of
// calibration_languages with enough texts (min_language_texts), a fit at the same prior
// on that language's texts alone, pulled toward the main fit (language_ridge): (a, b), or b
// alone, whichever cross-validates better, kept only when it beats the main fit in
// cross-validation (language_folds).
// Only the heads named in `language_heads` (comma-separated) get per-language fits; a head
// named "HEAD:b" gets the b-alone candidate only.
calibration_report calibrate_heads(linear_model& model, const dataset& data, const std::string& language_heads);

// Logs, per source of the calibration half, the macro-F1 at a calibrated 0.5 against the
// best threshold (how far "0.5" is from each set's own best point). Log only.
void log_threshold_check(const linear_model& model, const dataset& data);

}  // namespace tribune::train

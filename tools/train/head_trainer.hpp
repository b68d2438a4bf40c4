#pragma once
// head_trainer: trains the six logistic heads over shared hashed features with AdaGrad
// (masked labels give no gradient; positives weighted sqrt(neg/pos), capped).
// Single-threaded and seeded: the same data and options give the same weights.

#include <array>
#include <cstddef>
#include <vector>

#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

// Known labels per attribute on the train split: [h][0] negatives, [h][1] positives.
using label_counts = std::array<std::array<std::size_t, 2>, heads>;

class head_trainer {
public:
    head_trainer(const options& o, feature_config c);

    // Counts the train split's labels and sets the class weights from them.
    label_counts set_class_weights(const dataset& data);

    // NB-SVM-style log-count ratios (Wang and Manning 2012): each head's input x for bucket b
    // is scaled by max(|r[b][h]|, opt.nb_floor), r the log ratio of the bucket's presence
    // in positive and negative train texts (add-one smoothed). No-op when opt.nb_floor <= 0.
    void set_nb_ratios(const dataset& data);

    // Identity-term balancing (in the spirit of Dixon et al. 2018): for each identity word
    // (identity_terms.hpp) and head, the train split's negatives containing the word are
    // weighted so that the word's weighted positive rate equals the head's overall rate
    // (never below 1, at most opt.identity_balance); a text with several words takes the
    // largest weight. No-op when opt.identity_balance <= 1.
    void set_identity_balance(const dataset& data);

    // opt.epochs passes over the shuffled train split; logs the calibration half's AUC after
    // each (the report half is never looked at during training).
    void train(const dataset& data);

    // Float logits (before quantization).
    void logits(const text_feature_set& fs, head_logits& z) const;

    const feature_extractor& extractor() const { return fx_; }
    // Per head: the weight of a negative and of a positive label (set_class_weights).
    const std::array<std::array<float, 2>, heads>& class_weights() const { return class_weight_; }
    // The weights to ship: the learned weight times its NB scale, buckets * heads.
    std::vector<float> effective_weights() const;
    const head_logits& bias() const { return b_; }
    // The deep part, quantized (empty without opt.deep_dim).
    bag_network deep_network() const;

private:
    // opt.source_weights for an example's comma-separated sources (1 when none is listed).
    float source_weight(const std::string& sources) const;
    // A real (not template) train text known not toxic whose original holds a '?': weighted by
    // opt.question_negative_weight.
    static bool is_question_negative(const example& e);
    // One AdaGrad step; `frozen_deep`, when given, is the (no longer learning) deep part's
    // output for this example.
    void step(const text_feature_set& fs, const std::array<std::int8_t, heads>& y, const head_logits& weight,
              const head_logits* frozen_deep);
    void linear_logits(const text_feature_set& fs, head_logits& z) const;

    const options& opt_;
    feature_config cfg_;
    feature_extractor fx_;
    std::vector<float> w_, g2_;
    std::vector<float> nb_;  // per bucket and head input scale (all 1 without NB)
    head_logits b_{}, b_g2_{};
    std::array<std::array<float, 2>, heads> class_weight_{};
    std::vector<head_logits> example_weight_;
    // The deep part (opt.deep_dim > 0): embedding rows (deep buckets x dim), W1 (hidden x
    // dim), b1, W2 (heads x hidden); AdaGrad accumulators alongside.
    std::size_t dd_ = 0, dh_ = 0;
    std::uint32_t dmask_ = 0;
    std::vector<float> emb_, emb_g2_, w1_, w1_g2_, b1_, b1_g2_, w2_, w2_g2_;
    void deep_backward(const text_feature_set& fs, const std::vector<float>& u, const std::vector<float>& h,
                       const head_logits& g, const std::array<std::int8_t, heads>& y);
    void deep_forward(const text_feature_set& fs, std::vector<float>& u, std::vector<float>& h, head_logits& z) const;  // per example (all 1 without identity balancing)
};

}  // namespace tribune::train

#pragma once
// conv_trainer: a small convolutional network over the text's tokens (Kim 2014 style,
// without pretrained vectors): each token's vector is the mean of hashed embedding rows of
// the token's own feature entries (its word, character n-grams, scope and group features:
// text_features.hpp), so misspelt and obfuscated words share most of their rows; `filters`
// filters of `width` tokens slide over the sequence, then ReLU, max over positions, and one
// logistic output per head (masked labels give no gradient). Trained on its own with
// AdaGrad and dropout on the pooled vector; its logits are blended into the linear heads'
// afterwards (train_model.cpp). Single-threaded and seeded.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "core/classify/conv_network.hpp"
#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/options.hpp"

namespace tribune::train {

class conv_trainer {
public:
    conv_trainer(const options& o, const feature_config& c);

    // opt.conv_epochs passes over the shuffled train split with the given per-head class
    // weights ([h][label]); logs the calibration half's AUC after each epoch.
    void train(const dataset& data, const std::array<std::array<float, 2>, heads>& class_weight);

    // The network's logits for a text (no dropout).
    void logits(const text_feature_set& fs, head_logits& z) const;

    const feature_extractor& extractor() const { return fx_; }

    // The network to ship, with the blend weight of each head folded into its output row.
    conv_network network(const head_logits& blend) const;

private:
    struct activations {
        std::size_t tokens = 0;
        std::vector<float> v;        // tokens x dim
        std::vector<float> pooled;   // filters
        std::vector<std::uint32_t> arg;  // filters: the position of the max
    };
    void forward(const text_feature_set& fs, activations& a, head_logits& z) const;
    void step(const text_feature_set& fs, const std::array<std::int8_t, heads>& y, const head_logits& weight);

    const options& opt_;
    feature_extractor fx_;
    std::size_t dim_, filters_, width_, max_tokens_;
    std::uint32_t mask_;
    std::vector<float> emb_, emb_g2_;   // buckets x dim
    std::vector<float> w_, w_g2_;       // filters x width x dim
    std::vector<float> b_, b_g2_;       // filters
    std::vector<float> u_, u_g2_;       // heads x filters
    head_logits c_{}, c_g2_{};
    std::mt19937_64 rng_;
};

// The blend weight per head: the b in (linear logit + b * conv logit) with the highest mean
// of the calibration half's French and non-French ROC-AUCs, over a grid of 0 to 8 in steps
// of 0.1 (0: the head ignores the
// network; heads outside opt.conv_heads get 0). Logs per head the calibration and report halves' AUC of the linear heads, the
// network and the blend, and the report half's French and OLID slices (the report half is
// only logged, never used to choose).
head_logits fit_blend(const linear_model& heads_only, const conv_trainer& net, const dataset& data,
                      const options& opt);

}  // namespace tribune::train

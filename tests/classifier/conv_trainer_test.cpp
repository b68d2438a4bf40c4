// The convolutional network's trainer (tools/train/conv_trainer.hpp) on a small synthetic set
// it must learn from: ordinary filler words with "alpha omega" (hostile) or "omega alpha"
// (not) somewhere among them. The same words occur in both classes, so only the pair's order
// (the window, and the bigram halves the token vectors carry) separates them.

#include "tools/train/conv_trainer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tools/train/metrics.hpp"

namespace tribune::train {
namespace {

constexpr auto toxicity = static_cast<std::size_t>(attribute::toxicity);

dataset ordered_pair_set(std::size_t train, std::size_t valid) {
    static const char* filler[] = {"when", "will", "the", "new", "branch", "open", "and", "what", "about",
                                   "fees", "rates", "next", "year", "please", "tell", "us", "more", "on",
                                   "savings", "loans", "today", "again", "really", "why"};
    std::mt19937 rng(7);
    dataset d;
    for (std::size_t i = 0; i < train + valid; ++i) {
        const bool hostile = i % 2 == 0;
        std::vector<std::string> words;
        const std::size_t n = 3 + rng() % 6;
        for (std::size_t k = 0; k < n; ++k) words.emplace_back(filler[rng() % std::size(filler)]);
        const std::size_t at = rng() % (n + 1);
        words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), hostile ? "omega" : "alpha");
        words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), hostile ? "alpha" : "omega");
        example e;
        e.key = "00000000000000" + std::string(1, "0123456789abcdef"[(i / 2) % 16]);  // both classes in each half
        e.split = i < train ? "train" : "valid";
        e.lang = "en";
        e.sources = "synthetic";
        for (std::size_t k = 0; k < words.size(); ++k) e.text += (k ? " " : "") + words[k];
        e.original = e.text;
        e.y.fill(-1);
        e.y[toxicity] = hostile ? 1 : 0;
        d.examples.push_back(e);
        const std::size_t idx = d.examples.size() - 1;
        if (i < train) {
            d.train.push_back(idx);
        } else {
            d.valid.push_back(idx);
            (in_calibration_half(e) ? d.calibration : d.report).push_back(idx);
        }
    }
    return d;
}

options small_network() {
    options o;
    o.conv_filters = 8;
    o.conv_dim = 8;
    o.conv_width = 3;
    o.conv_buckets_log2 = 12;
    o.conv_epochs = 4;
    o.conv_lr = 0.1f;
    o.conv_dropout = 0.0f;
    o.conv_heads = "all";
    return o;
}

std::array<std::array<float, 2>, heads> unit_weights() {
    std::array<std::array<float, 2>, heads> w{};
    for (auto& h : w) h = {1.0f, 1.0f};
    return w;
}

TEST(ConvTrainer, LearnsATwoWordPatternAndShipsWhatItLearned) {
    const dataset data = ordered_pair_set(600, 200);
    const options o = small_network();
    feature_config cfg;
    cfg.buckets = 1u << 12;
    conv_trainer net(o, cfg);
    net.train(data, unit_weights());

    // The trained network ranks the held-out texts by the pair's order.
    std::vector<scored> v;
    text_feature_set fs;
    head_logits z;
    for (std::size_t i : data.valid) {
        net.extractor().extract(data.examples[i].text, fs);
        net.logits(fs, z);
        v.push_back({z[toxicity], data.examples[i].y[toxicity]});
    }
    EXPECT_GT(roc_auc(v), 0.95);

    // Linear heads that know nothing (all weights 0): the blend takes the network for the one
    // head with labels and leaves the others at 0.
    linear_model heads_only =
        linear_model::quantize(cfg, std::vector<float>(std::size_t{cfg.buckets} * model_columns, 0.0f), head_logits{});
    const head_logits blend = fit_blend(heads_only, net, data, o);
    EXPECT_GT(blend[toxicity], 0.0f);
    for (std::size_t h = 0; h < heads; ++h) {
        if (h != toxicity) {
            EXPECT_EQ(blend[h], 0.0f) << h;
        }
    }

    // The quantized network inside a model scores what the trainer's float network scored.
    heads_only.set_conv(net.network(blend));
    for (std::size_t i : data.valid) {
        net.extractor().extract(data.examples[i].text, fs);
        net.logits(fs, z);
        head_logits shipped{};
        heads_only.score(fs, shipped, nullptr);
        const float expected = blend[toxicity] * z[toxicity];
        EXPECT_NEAR(shipped[toxicity], expected, 0.05f + 0.05f * std::fabs(expected)) << data.examples[i].text;
    }
}

}  // namespace
}  // namespace tribune::train

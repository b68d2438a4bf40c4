#include "tools/train/head_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

head_trainer::head_trainer(const options& o, feature_config c)
    : opt_(o), cfg_(c), fx_(c), w_(std::size_t{c.buckets} * heads, 0.0f), g2_(w_.size(), 0.0f),
      nb_(w_.size(), 1.0f) {}

void head_trainer::set_nb_ratios(const dataset& data) {
    if (opt_.nb_floor <= 0) return;
    std::vector<std::uint32_t> count(w_.size() * 2, 0);  // [bucket][head][label]
    std::array<std::array<double, 2>, heads> docs{};
    text_feature_set fs;
    std::vector<std::uint32_t> buckets;
    for (std::size_t i : data.train) {
        const example& e = data.examples[i];
        fx_.extract(e.text, fs);
        buckets.clear();
        for (const feature_entry& f : fs.entries) buckets.push_back(f.bucket);
        std::sort(buckets.begin(), buckets.end());
        buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
        for (std::size_t h = 0; h < heads; ++h) {
            if (e.y[h] < 0) continue;
            docs[h][static_cast<std::size_t>(e.y[h])] += 1;
            for (std::uint32_t b : buckets) ++count[(std::size_t{b} * heads + h) * 2 + static_cast<std::size_t>(e.y[h])];
        }
    }
    for (std::size_t b = 0; b < cfg_.buckets; ++b)
        for (std::size_t h = 0; h < heads; ++h) {
            const std::size_t k = b * heads + h;
            const double p = (count[k * 2 + 1] + 1.0) / (docs[h][1] + 2.0);
            const double q = (count[k * 2] + 1.0) / (docs[h][0] + 2.0);
            nb_[k] = std::max(static_cast<float>(std::fabs(std::log(p / q))), opt_.nb_floor);
        }
    progress("NB log-count ratios computed (floor " + fmt(opt_.nb_floor, 2) + ")");
}

std::vector<float> head_trainer::effective_weights() const {
    std::vector<float> out(w_.size());
    for (std::size_t k = 0; k < w_.size(); ++k) out[k] = w_[k] * nb_[k];
    return out;
}

void head_trainer::logits(const text_feature_set& fs, head_logits& z) const {
    z = b_;
    for (const feature_entry& e : fs.entries) {
        const float x = e.value * fs.scale;
        const float* row = &w_[std::size_t{e.bucket} * heads];
        const float* nb = &nb_[std::size_t{e.bucket} * heads];
        for (std::size_t h = 0; h < heads; ++h) z[h] += row[h] * nb[h] * x;
    }
}

void head_trainer::step(const text_feature_set& fs, const std::array<std::int8_t, heads>& y, float weight) {
    head_logits z;
    logits(fs, z);
    head_logits g{};
    bool any = false;
    for (std::size_t h = 0; h < heads; ++h) {
        if (y[h] < 0) continue;
        g[h] = (sigmoid(z[h]) - static_cast<float>(y[h])) * class_weight_[h][static_cast<std::size_t>(y[h])] * weight;
        b_g2_[h] += g[h] * g[h];
        b_[h] -= opt_.lr * g[h] / std::sqrt(b_g2_[h] + 1e-6f);
        any = true;
    }
    if (!any) return;
    for (const feature_entry& e : fs.entries) {
        const float x = e.value * fs.scale;
        const std::size_t base = std::size_t{e.bucket} * heads;
        for (std::size_t h = 0; h < heads; ++h) {
            if (y[h] < 0) continue;
            const float gi = g[h] * x * nb_[base + h] + opt_.l2 * w_[base + h];
            g2_[base + h] += gi * gi;
            w_[base + h] -= opt_.lr * gi / std::sqrt(g2_[base + h] + 1e-6f);
        }
    }
}

label_counts head_trainer::set_class_weights(const dataset& data) {
    label_counts counts{};
    for (std::size_t i : data.train)
        for (std::size_t h = 0; h < heads; ++h)
            if (data.examples[i].y[h] >= 0) ++counts[h][static_cast<std::size_t>(data.examples[i].y[h])];
    for (std::size_t h = 0; h < heads; ++h) {
        const double ratio = counts[h][1] ? static_cast<double>(counts[h][0]) / static_cast<double>(counts[h][1]) : 1.0;
        class_weight_[h] = {1.0f, static_cast<float>(std::clamp(std::sqrt(ratio), 1.0, static_cast<double>(opt_.max_pos_weight)))};
        progress(std::string(to_string(static_cast<attribute>(h))) + ": train " +
                 std::to_string(counts[h][1]) + " positive, " + std::to_string(counts[h][0]) +
                 " negative, positive weight " + fmt(class_weight_[h][1], 2));
    }
    return counts;
}

void head_trainer::train(const dataset& data) {
    std::mt19937_64 rng(opt_.seed);
    text_feature_set fs;
    for (int epoch = 1; epoch <= opt_.epochs; ++epoch) {
        std::vector<std::size_t> order = data.train;
        for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates on raw mt19937_64 output
            const std::size_t j = static_cast<std::size_t>(rng() % i);
            std::swap(order[i - 1], order[j]);
        }
        for (std::size_t k = 0; k < order.size(); ++k) {
            const example& e = data.examples[order[k]];
            fx_.extract(e.text, fs);
            step(fs, e.y, (e.lang == "fr" ? opt_.fr_weight : 1.0f) *
                              (e.sources == "tribune_counter_data" ? opt_.counter_weight : 1.0f));
        }
        std::array<std::vector<scored>, heads> v, fr;
        head_logits z;
        for (std::size_t i : data.calibration) {
            fx_.extract(data.examples[i].text, fs);
            logits(fs, z);
            for (std::size_t h = 0; h < heads; ++h)
                if (data.examples[i].y[h] >= 0) {
                    v[h].push_back({z[h], data.examples[i].y[h]});
                    if (data.examples[i].lang == "fr") fr[h].push_back({z[h], data.examples[i].y[h]});
                }
        }
        std::string msg = "epoch " + std::to_string(epoch) + "/" + std::to_string(opt_.epochs) + " calibration-half AUC";
        for (std::size_t h = 0; h < heads; ++h)
            msg += " " + std::string(to_string(static_cast<attribute>(h))) + "=" + fmt(roc_auc(v[h]));
        msg += "; French toxicity=" + fmt(roc_auc(fr[static_cast<std::size_t>(attribute::toxicity)])) +
               " identity_attack=" + fmt(roc_auc(fr[static_cast<std::size_t>(attribute::identity_attack)]));
        progress(msg);
    }
}

}  // namespace tribune::train

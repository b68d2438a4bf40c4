#include "tools/train/conv_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "tools/train/adagrad.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

conv_trainer::conv_trainer(const options& o, const feature_config& c)
    : opt_(o), fx_(c), dim_(static_cast<std::size_t>(o.conv_dim)), filters_(static_cast<std::size_t>(o.conv_filters)),
      width_(static_cast<std::size_t>(o.conv_width)), max_tokens_(static_cast<std::size_t>(o.conv_max_tokens)),
      mask_((1u << o.conv_buckets_log2) - 1), rng_(o.seed + 11) {
    init_uniform(emb_, emb_g2_, std::size_t{mask_ + 1} * dim_, 0.1f, rng_);
    init_uniform(w_, w_g2_, filters_ * width_ * dim_, std::sqrt(6.0f / static_cast<float>(width_ * dim_ + filters_)), rng_);
    b_.assign(filters_, 0.0f);
    b_g2_.assign(filters_, 0.0f);
    init_uniform(u_, u_g2_, heads * filters_, std::sqrt(6.0f / static_cast<float>(filters_ + heads)), rng_);
}

void conv_trainer::forward(const text_feature_set& fs, activations& a, head_logits& z) const {
    const std::size_t n = std::min(fs.tokens.size(), max_tokens_);
    a.tokens = n;
    a.v.assign(std::max<std::size_t>(n, 1) * dim_, 0.0f);
    std::vector<float> mass(std::max<std::size_t>(n, 1), 0.0f);
    for (const feature_entry& e : fs.entries) {
        if (e.token >= n) continue;
        const float* row = &emb_[std::size_t{e.bucket & mask_} * dim_];
        float* v = &a.v[std::size_t{e.token} * dim_];
        for (std::size_t d = 0; d < dim_; ++d) v[d] += e.value * row[d];
        mass[e.token] += e.value;
    }
    for (std::size_t t = 0; t < n; ++t)
        if (mass[t] > 0)
            for (std::size_t d = 0; d < dim_; ++d) a.v[t * dim_ + d] /= mass[t];
    // Positions p = 0 .. n-1 (at least one), window tokens p - half .. p + half, zero outside.
    const std::size_t positions = std::max<std::size_t>(n, 1);
    const std::ptrdiff_t half = static_cast<std::ptrdiff_t>(width_ / 2);
    a.pooled.assign(filters_, 0.0f);
    a.arg.assign(filters_, 0);
    for (std::size_t f = 0; f < filters_; ++f) {
        float best = -1e30f;
        std::uint32_t arg = 0;
        for (std::size_t p = 0; p < positions; ++p) {
            float s = b_[f];
            for (std::size_t k = 0; k < width_; ++k) {
                const std::ptrdiff_t t = static_cast<std::ptrdiff_t>(p) + static_cast<std::ptrdiff_t>(k) - half;
                if (t < 0 || t >= static_cast<std::ptrdiff_t>(n)) continue;
                const float* w = &w_[(f * width_ + k) * dim_];
                const float* v = &a.v[static_cast<std::size_t>(t) * dim_];
                for (std::size_t d = 0; d < dim_; ++d) s += w[d] * v[d];
            }
            if (s > best) {
                best = s;
                arg = static_cast<std::uint32_t>(p);
            }
        }
        a.pooled[f] = best > 0 ? best : 0.0f;
        a.arg[f] = arg;
    }
    for (std::size_t h = 0; h < heads; ++h) {
        float s = c_[h];
        for (std::size_t f = 0; f < filters_; ++f) s += u_[h * filters_ + f] * a.pooled[f];
        z[h] = s;
    }
}

void conv_trainer::logits(const text_feature_set& fs, head_logits& z) const {
    thread_local activations a;
    forward(fs, a, z);
}

void conv_trainer::step(const text_feature_set& fs, const std::array<std::int8_t, heads>& y, const head_logits& weight) {
    thread_local activations a;
    thread_local std::vector<float> keep, gp, gv;
    const float lr = opt_.conv_lr;
    // Dropout on the pooled vector: forward once without, then recompute the output with the
    // kept filters scaled up (inverted dropout).
    head_logits z;
    forward(fs, a, z);
    keep.assign(filters_, 1.0f);
    const float p = opt_.conv_dropout;
    if (p > 0)
        for (std::size_t f = 0; f < filters_; ++f)
            keep[f] = (static_cast<float>(rng_() >> 40) / 16777216.0f) < p ? 0.0f : 1.0f / (1.0f - p);
    head_logits g{};
    bool any = false;
    for (std::size_t h = 0; h < heads; ++h) {
        if (y[h] < 0) continue;
        float s = c_[h];
        for (std::size_t f = 0; f < filters_; ++f) s += u_[h * filters_ + f] * a.pooled[f] * keep[f];
        g[h] = (sigmoid(s) - static_cast<float>(y[h])) * weight[h];
        any = true;
    }
    if (!any) return;
    gp.assign(filters_, 0.0f);
    for (std::size_t h = 0; h < heads; ++h) {
        if (y[h] < 0) continue;
        adagrad_step(c_[h], c_g2_[h], g[h], lr);
        for (std::size_t f = 0; f < filters_; ++f) {
            const float x = a.pooled[f] * keep[f];
            gp[f] += g[h] * u_[h * filters_ + f] * keep[f];
            adagrad_step(u_[h * filters_ + f], u_g2_[h * filters_ + f], g[h] * x + opt_.conv_l2 * u_[h * filters_ + f], lr);
        }
    }
    const std::size_t n = a.tokens;
    if (n == 0) return;
    gv.assign(n * dim_, 0.0f);
    const std::ptrdiff_t half = static_cast<std::ptrdiff_t>(width_ / 2);
    for (std::size_t f = 0; f < filters_; ++f) {
        if (a.pooled[f] <= 0 || gp[f] == 0) continue;
        const std::size_t pos = a.arg[f];
        for (std::size_t k = 0; k < width_; ++k) {
            const std::ptrdiff_t t = static_cast<std::ptrdiff_t>(pos) + static_cast<std::ptrdiff_t>(k) - half;
            if (t < 0 || t >= static_cast<std::ptrdiff_t>(n)) continue;
            float* w = &w_[(f * width_ + k) * dim_];
            float* w2 = &w_g2_[(f * width_ + k) * dim_];
            const float* v = &a.v[static_cast<std::size_t>(t) * dim_];
            float* gvt = &gv[static_cast<std::size_t>(t) * dim_];
            for (std::size_t d = 0; d < dim_; ++d) {
                gvt[d] += gp[f] * w[d];
                adagrad_step(w[d], w2[d], gp[f] * v[d], lr);
            }
        }
        adagrad_step(b_[f], b_g2_[f], gp[f], lr);
    }
    // Token vectors are means of their rows: spread each token's gradient back.
    thread_local std::vector<float> mass;
    mass.assign(n, 0.0f);
    for (const feature_entry& e : fs.entries)
        if (e.token < n) mass[e.token] += e.value;
    for (const feature_entry& e : fs.entries) {
        if (e.token >= n || mass[e.token] <= 0) continue;
        const float share = e.value / mass[e.token];
        const float* gvt = &gv[std::size_t{e.token} * dim_];
        const std::size_t base = std::size_t{e.bucket & mask_} * dim_;
        for (std::size_t d = 0; d < dim_; ++d) adagrad_step(emb_[base + d], emb_g2_[base + d], gvt[d] * share, lr);
    }
}

void conv_trainer::train(const dataset& data, const std::array<std::array<float, 2>, heads>& class_weight) {
    std::mt19937_64 order_rng(opt_.seed + 13);
    text_feature_set fs;
    for (int epoch = 1; epoch <= opt_.conv_epochs; ++epoch) {
        const std::vector<std::size_t> order = shuffled(data.train, order_rng);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const example& e = data.examples[order[k]];
            fx_.extract(e.text, fs);
            const float w = (e.lang == "fr" ? opt_.conv_fr_weight : 1.0f) *
                            (e.sources == "tribune_counter_data" ? opt_.counter_weight : 1.0f);
            head_logits hw;
            for (std::size_t h = 0; h < heads; ++h)
                hw[h] = e.y[h] < 0 ? 0.0f : w * class_weight[h][static_cast<std::size_t>(e.y[h])];
            step(fs, e.y, hw);
        }
        std::array<std::vector<scored>, heads> v;
        head_logits z;
        for (std::size_t i : data.calibration) {
            fx_.extract(data.examples[i].text, fs);
            logits(fs, z);
            for (std::size_t h = 0; h < heads; ++h)
                if (data.examples[i].y[h] >= 0) v[h].push_back({z[h], data.examples[i].y[h]});
        }
        std::string msg = "conv epoch " + std::to_string(epoch) + "/" + std::to_string(opt_.conv_epochs) +
                          " calibration-half AUC";
        for (std::size_t h = 0; h < heads; ++h)
            msg += " " + std::string(to_string(static_cast<attribute>(h))) + "=" + fmt(roc_auc(v[h]));
        progress(msg);
    }
}

conv_network conv_trainer::network(const head_logits& blend) const {
    std::vector<float> u(u_);
    head_logits c{};
    for (std::size_t h = 0; h < heads; ++h) {
        for (std::size_t f = 0; f < filters_; ++f) u[h * filters_ + f] *= blend[h];
        c[h] = c_[h] * blend[h];
    }
    conv_network::shape s;
    s.buckets = mask_ + 1;
    s.dim = static_cast<std::uint32_t>(dim_);
    s.filters = static_cast<std::uint32_t>(filters_);
    s.width = static_cast<std::uint32_t>(width_);
    s.max_tokens = static_cast<std::uint32_t>(max_tokens_);
    return conv_network::quantize(s, emb_, w_, b_, std::move(u), c);
}

head_logits fit_blend(const linear_model& heads_only, const conv_trainer& net, const dataset& data,
                      const options& opt) {
    struct row {
        head_logits lin, conv;
        std::array<std::int8_t, heads> y;
        bool calibration;
        int slice;  // 1 French, 2 OLID, 0 other
    };
    std::vector<row> rows;
    text_feature_set fs;
    feature_extractor fx(heads_only.config());
    for (std::size_t i : data.valid) {
        const example& e = data.examples[i];
        row r{};
        fx.extract(e.text, fs);
        heads_only.score(fs, r.lin, nullptr);
        net.extractor().extract(e.text, fs);
        net.logits(fs, r.conv);
        r.y = e.y;
        r.calibration = in_calibration_half(e);
        r.slice = e.lang == "fr" ? 1 : e.sources.find("olid") != std::string::npos ? 2 : 0;
        rows.push_back(r);
    }
    head_logits blend{};
    for (std::size_t h = 0; h < heads; ++h) {
        auto auc = [&](float lin, float conv, bool calibration, int slice) {
            std::vector<scored> v;
            for (const row& r : rows)
                if (r.calibration == calibration && r.y[h] >= 0 && (slice < 0 || r.slice == slice))
                    v.push_back({lin * r.lin[h] + conv * r.conv[h], r.y[h]});
            return roc_auc(v);
        };
        // The criterion: the mean of the calibration half's English and French AUCs, so the
        // blend is not chosen by the English majority alone (French is a tenth of the data).
        auto language_mean = [&](float conv) {
            std::vector<scored> fr, other;
            for (const row& r : rows)
                if (r.calibration && r.y[h] >= 0)
                    (r.slice == 1 ? fr : other).push_back({r.lin[h] + conv * r.conv[h], r.y[h]});
            const double a = roc_auc(fr), b = roc_auc(other);
            return a >= 0 ? (a + b) / 2 : b;
        };
        float best = 0.0f;
        const std::string name(to_string(static_cast<attribute>(h)));
        const bool allowed = opt.conv_heads == "all" || ("," + opt.conv_heads + ",").find("," + name + ",") != std::string::npos;
        double best_value = language_mean(0);
        for (int step = 1; allowed && step <= 80; ++step)
            if (const double a = language_mean(0.1f * static_cast<float>(step)); a > best_value) {
                best_value = a;
                best = 0.1f * static_cast<float>(step);
            }
        const double best_auc = auc(1, best, true, -1);
        blend[h] = best;
        progress(std::string(to_string(static_cast<attribute>(h))) + " blend " + fmt(best, 1) +
                 ": AUC linear / conv / blend, calibration half " + fmt(auc(1, 0, true, -1)) + " / " +
                 fmt(auc(0, 1, true, -1)) + " / " + fmt(best_auc) + "; report half " + fmt(auc(1, 0, false, -1)) +
                 " / " + fmt(auc(0, 1, false, -1)) + " / " + fmt(auc(1, best, false, -1)) + " (French " +
                 fmt(auc(1, 0, false, 1)) + " -> " + fmt(auc(1, best, false, 1)) + ", OLID " +
                 fmt(auc(1, 0, false, 2)) + " -> " + fmt(auc(1, best, false, 2)) + ")");
    }
    return blend;
}

}  // namespace tribune::train

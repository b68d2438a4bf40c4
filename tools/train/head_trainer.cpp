#include "tools/train/head_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "tools/train/adagrad.hpp"
#include "tools/train/identity_terms.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

head_trainer::head_trainer(const options& o, feature_config c)
    : opt_(o), cfg_(c), fx_(c), w_(std::size_t{c.buckets} * heads, 0.0f), g2_(w_.size(), 0.0f),
      nb_(w_.size(), 1.0f) {
    if (o.deep_dim <= 0) return;
    dd_ = static_cast<std::size_t>(o.deep_dim);
    dh_ = static_cast<std::size_t>(o.deep_hidden);
    dmask_ = (1u << o.deep_buckets_log2) - 1;
    std::mt19937_64 rng(o.seed + 7);
    init_uniform(emb_, emb_g2_, std::size_t{dmask_ + 1} * dd_, 0.1f, rng);
    init_uniform(w1_, w1_g2_, dh_ * dd_, std::sqrt(6.0f / static_cast<float>(dd_ + dh_)), rng);
    b1_.assign(dh_, 0.0f);
    b1_g2_.assign(dh_, 0.0f);
    init_uniform(w2_, w2_g2_, heads * dh_, std::sqrt(6.0f / static_cast<float>(dh_ + heads)), rng);
}

void head_trainer::deep_forward(const text_feature_set& fs, std::vector<float>& u, std::vector<float>& hid,
                                head_logits& z) const {
    u.assign(dd_, 0.0f);
    for (const feature_entry& e : fs.entries) {
        const float x = e.value * fs.scale;
        const float* row = &emb_[std::size_t{e.bucket & dmask_} * dd_];
        for (std::size_t d = 0; d < dd_; ++d) u[d] += x * row[d];
    }
    hid.assign(dh_, 0.0f);
    for (std::size_t j = 0; j < dh_; ++j) {
        float a = b1_[j];
        for (std::size_t d = 0; d < dd_; ++d) a += w1_[j * dd_ + d] * u[d];
        hid[j] = a > 0 ? a : 0.0f;
    }
    for (std::size_t k = 0; k < heads; ++k)
        for (std::size_t j = 0; j < dh_; ++j) z[k] += w2_[k * dh_ + j] * hid[j];
}

bool head_trainer::is_question_negative(const example& e) {
    return e.y[static_cast<std::size_t>(attribute::toxicity)] == 0 && e.sources != "tribune_counter_data" &&
           e.original.find('?') != std::string::npos;
}

float head_trainer::source_weight(const std::string& sources) const {
    float w = 0.0f;
    std::size_t pos = 0;
    while (pos <= opt_.source_weights.size()) {
        const std::size_t end = std::min(opt_.source_weights.find(',', pos), opt_.source_weights.size());
        const std::string item = opt_.source_weights.substr(pos, end - pos);
        const std::size_t eq = item.find('=');
        if (eq != std::string::npos) {
            const std::string name = item.substr(0, eq);
            std::size_t at = 0;
            for (std::size_t k; (k = sources.find(name, at)) != std::string::npos; at = k + 1)
                if ((k == 0 || sources[k - 1] == ',') &&
                    (k + name.size() == sources.size() || sources[k + name.size()] == ','))
                    w = std::max(w, std::stof(item.substr(eq + 1)));
        }
        pos = end + 1;
    }
    return w > 0.0f ? w : 1.0f;
}

void head_trainer::set_nb_ratios(const dataset& data) {
    if (opt_.nb_floor <= 0) return;
    std::vector<float> count(w_.size() * 2, 0.0f);  // [bucket][head][label], identity-balanced weights
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
            const float wt = example_weight_.empty() ? 1.0f : example_weight_[i][h];
            docs[h][static_cast<std::size_t>(e.y[h])] += wt;
            for (std::uint32_t b : buckets) count[(std::size_t{b} * heads + h) * 2 + static_cast<std::size_t>(e.y[h])] += wt;
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

void head_trainer::set_identity_balance(const dataset& data) {
    if (opt_.identity_balance <= 1.0f) return;
    // [word][head][label] counts over the train split
    std::map<std::string, std::array<std::array<double, 2>, heads>> count;
    std::array<std::array<double, 2>, heads> total{};
    std::vector<std::vector<std::string>> words(data.examples.size());
    for (std::size_t i : data.train) {
        const example& e = data.examples[i];
        if (e.sources == "tribune_counter_data") continue;  // balance what the real data says
        words[i] = identity_words_in(e.text);
        for (std::size_t h = 0; h < heads; ++h) {
            if (e.y[h] < 0) continue;
            total[h][static_cast<std::size_t>(e.y[h])] += 1;
            for (const std::string& w : words[i]) count[w][h][static_cast<std::size_t>(e.y[h])] += 1;
        }
    }
    std::map<std::string, head_logits> neg_weight;
    for (const auto& [w, c] : count)
        for (std::size_t h = 0; h < heads; ++h) {
            const double pos = c[h][1], neg = c[h][0];
            const double odds = total[h][1] > 0 ? total[h][0] / total[h][1] : 1.0;  // neg/pos overall
            // weighted pos rate == overall rate  <=>  neg * w / pos == odds
            const double want = neg > 0 ? pos * odds / neg : 1.0;
            const float cap = h == static_cast<std::size_t>(attribute::identity_attack) ? opt_.identity_balance
                              : h == static_cast<std::size_t>(attribute::toxicity)      ? opt_.identity_balance_tox
                                                                                         : 1.0f;
            neg_weight[w][h] = static_cast<float>(std::clamp(want, 1.0, static_cast<double>(std::max(cap, 1.0f))));
        }
    example_weight_.assign(data.examples.size(), head_logits{});
    for (auto& hw : example_weight_) hw.fill(1.0f);
    std::size_t touched = 0;
    for (std::size_t i : data.train) {
        const example& e = data.examples[i];
        bool any = false;
        for (std::size_t h = 0; h < heads; ++h) {
            if (e.y[h] != 0) continue;
            for (const std::string& w : words[i]) example_weight_[i][h] = std::max(example_weight_[i][h], neg_weight[w][h]);
            any = any || example_weight_[i][h] > 1.0f;
        }
        touched += any;
    }
    std::string msg = "identity balancing (cap " + fmt(opt_.identity_balance, 1) + "): " + std::to_string(touched) +
                      " train negatives reweighted; identity_attack negative weight";
    for (const char* w : {"muslims", "jews", "black", "white", "women", "gay", "immigrants", "musulmans", "juifs", "noirs"})
        if (neg_weight.count(w)) msg += std::string(" ") + w + "=" + fmt(neg_weight[w][static_cast<std::size_t>(attribute::identity_attack)], 2);
    progress(msg);
}

bag_network head_trainer::deep_network() const {
    if (dd_ == 0) return {};
    return bag_network::quantize(dmask_ + 1, static_cast<std::uint32_t>(dd_), static_cast<std::uint32_t>(dh_), emb_, w1_,
                                 b1_, w2_);
}

std::vector<float> head_trainer::effective_weights() const {
    std::vector<float> out(w_.size());
    for (std::size_t k = 0; k < w_.size(); ++k) out[k] = w_[k] * nb_[k];
    return out;
}

void head_trainer::linear_logits(const text_feature_set& fs, head_logits& z) const {
    z = b_;
    for (const feature_entry& e : fs.entries) {
        const float x = e.value * fs.scale;
        const float* row = &w_[std::size_t{e.bucket} * heads];
        const float* nb = &nb_[std::size_t{e.bucket} * heads];
        for (std::size_t h = 0; h < heads; ++h) z[h] += row[h] * nb[h] * x;
    }
}

void head_trainer::logits(const text_feature_set& fs, head_logits& z) const {
    linear_logits(fs, z);
    if (dd_ > 0) {
        thread_local std::vector<float> u, hid;
        deep_forward(fs, u, hid, z);
    }
}

void head_trainer::step(const text_feature_set& fs, const std::array<std::int8_t, heads>& y, const head_logits& weight,
                        const head_logits* frozen_deep) {
    head_logits z;
    linear_logits(fs, z);
    thread_local std::vector<float> u, hid;
    if (frozen_deep) {
        for (std::size_t h = 0; h < heads; ++h) z[h] += (*frozen_deep)[h];
    } else if (dd_ > 0) {
        deep_forward(fs, u, hid, z);
    }
    head_logits g{};
    bool any = false;
    for (std::size_t h = 0; h < heads; ++h) {
        if (y[h] < 0) continue;
        g[h] = (sigmoid(z[h]) - static_cast<float>(y[h])) * class_weight_[h][static_cast<std::size_t>(y[h])] * weight[h];
        b_g2_[h] += g[h] * g[h];
        b_[h] -= opt_.lr * g[h] / std::sqrt(b_g2_[h] + 1e-6f);
        any = true;
    }
    if (!any) return;
    if (dd_ > 0 && !frozen_deep) deep_backward(fs, u, hid, g, y);
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

void head_trainer::deep_backward(const text_feature_set& fs, const std::vector<float>& u,
                                 const std::vector<float>& hid, const head_logits& g,
                                 const std::array<std::int8_t, heads>& y) {
    const float lr = opt_.deep_lr;
    auto ada = [lr](float& w, float& g2, float gr) { adagrad_step(w, g2, gr, lr); };
    thread_local std::vector<float> gh, gu;
    gh.assign(dh_, 0.0f);
    for (std::size_t k = 0; k < heads; ++k) {
        if (y[k] < 0) continue;
        for (std::size_t j = 0; j < dh_; ++j) {
            gh[j] += g[k] * w2_[k * dh_ + j];
            ada(w2_[k * dh_ + j], w2_g2_[k * dh_ + j], g[k] * hid[j]);
        }
    }
    gu.assign(dd_, 0.0f);
    for (std::size_t j = 0; j < dh_; ++j) {
        if (hid[j] <= 0) continue;
        for (std::size_t d = 0; d < dd_; ++d) {
            gu[d] += gh[j] * w1_[j * dd_ + d];
            ada(w1_[j * dd_ + d], w1_g2_[j * dd_ + d], gh[j] * u[d]);
        }
        ada(b1_[j], b1_g2_[j], gh[j]);
    }
    for (const feature_entry& e : fs.entries) {
        const float x = e.value * fs.scale;
        const std::size_t base = std::size_t{e.bucket & dmask_} * dd_;
        for (std::size_t d = 0; d < dd_; ++d) ada(emb_[base + d], emb_g2_[base + d], gu[d] * x);
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
    std::vector<head_logits> deep_cache;  // the frozen deep part's output per example
    for (int epoch = 1; epoch <= opt_.epochs; ++epoch) {
        if (dd_ > 0 && epoch > opt_.deep_epochs && deep_cache.empty()) {
            deep_cache.assign(data.examples.size(), head_logits{});
            thread_local std::vector<float> u, hid;
            for (std::size_t i : data.train) {
                fx_.extract(data.examples[i].text, fs);
                deep_forward(fs, u, hid, deep_cache[i]);
            }
        }
        const std::vector<std::size_t> order = shuffled(data.train, rng);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const example& e = data.examples[order[k]];
            fx_.extract(e.text, fs);
            const float w = (e.lang == "fr" ? opt_.fr_weight : 1.0f) *
                            (e.sources == "tribune_counter_data" ? opt_.counter_weight : source_weight(e.sources));
            const bool question_negative = is_question_negative(e);
            head_logits hw;
            for (std::size_t h = 0; h < heads; ++h)
                hw[h] = w * (example_weight_.empty() ? 1.0f : example_weight_[order[k]][h]) *
                        (question_negative && h != static_cast<std::size_t>(attribute::identity_attack)
                             ? opt_.question_negative_weight
                             : 1.0f);
            step(fs, e.y, hw, deep_cache.empty() ? nullptr : &deep_cache[order[k]]);
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

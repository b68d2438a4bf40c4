#include "tools/train/span_trainer.hpp"

#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "core/classify/language_detector.hpp"
#include "core/classify/linear_classifier.hpp"
#include "core/text/text_normalizer.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

constexpr std::size_t tox = static_cast<std::size_t>(attribute::toxicity);

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

struct token_entry {
    std::uint32_t bucket;
    float value;
};

// One document's tokens as the span model sees them.
struct span_doc {
    std::vector<std::uint32_t> begin;  // CSR: entries of token t are [begin[t], begin[t+1])
    std::vector<token_entry> entries;
    std::vector<head_logits> share;   // unscaled head shares per token
    std::vector<head_logits> relative;  // share / the document's largest share (0 if none > 0)
    std::vector<head_logits> beside;    // relative of the tokens either side, summed
    float doc_logit = 0.0f;
    std::vector<std::uint8_t> label;  // 1: most of the token's characters are gold
};

span_doc make_doc(const linear_model& model, const feature_extractor& fx, const example& e) {
    span_doc d;
    const normalized_text n = normalize(e.original).value();
    text_feature_set fs;
    fx.extract(n.text, fs);
    head_logits z;
    std::vector<head_logits> contrib;
    model.score(fs, z, &contrib);
    d.doc_logit = z[tox];
    const std::size_t nt = fs.tokens.size();
    std::vector<std::vector<token_entry>> by_token(nt);
    for (const feature_entry& f : fs.entries) by_token[f.token].push_back({f.bucket, f.value});
    d.begin.push_back(0);
    for (auto& v : by_token) {
        d.entries.insert(d.entries.end(), v.begin(), v.end());
        d.begin.push_back(static_cast<std::uint32_t>(d.entries.size()));
    }
    const float unscale = fs.scale > 0 ? 1.0f / fs.scale : 0.0f;
    d.share.resize(nt);
    d.relative.resize(nt);
    head_logits top{};
    for (std::size_t t = 0; t < nt; ++t)
        for (std::size_t h = 0; h < heads; ++h) top[h] = std::max(top[h], contrib[t][h]);
    for (std::size_t t = 0; t < nt; ++t)
        for (std::size_t h = 0; h < heads; ++h) {
            d.share[t][h] = contrib[t][h] * unscale;
            d.relative[t][h] = top[h] > 0 ? contrib[t][h] / top[h] : 0.0f;
        }
    d.beside.assign(nt, head_logits{});
    for (std::size_t t = 0; t < nt; ++t)
        for (std::size_t h = 0; h < heads; ++h) {
            if (t > 0) d.beside[t][h] += d.relative[t - 1][h];
            if (t + 1 < nt) d.beside[t][h] += d.relative[t + 1][h];
        }
    const std::set<std::size_t> gold(e.gold.begin(), e.gold.end());
    d.label.resize(nt, 0);
    for (std::size_t t = 0; t < nt && !gold.empty(); ++t) {
        const auto [a, b] = n.to_original(fs.tokens[t].start, fs.tokens[t].end);
        std::size_t in = 0;
        for (std::size_t c = a; c < b; ++c) in += gold.count(c);
        d.label[t] = 2 * in >= (b - a) && in > 0;
    }
    return d;
}

// AdaGrad state of the span model's parameters.
struct span_learner {
    std::vector<float> self, context, g_self, g_context;
    // head weights, relative weights, neighbour weights, doc weight, bias
    static constexpr std::size_t neighbour_index = 2 * heads, doc_index = 3 * heads, bias_index = 3 * heads + 1;
    std::array<float, 3 * heads + 2> dense{}, g_dense{};
    bool neighbours = true;
    float lr = 0.1f, dense_lr = 0.1f, l2 = 1e-6f;

    explicit span_learner(std::size_t buckets)
        : self(buckets, 0.0f), context(buckets, 0.0f), g_self(buckets, 0.0f), g_context(buckets, 0.0f) {}

    float token_logit(const span_doc& d, std::size_t t) const {
        float z = dense[bias_index] + dense[doc_index] * d.doc_logit;
        for (std::size_t h = 0; h < heads; ++h)
            z += dense[h] * d.share[t][h] + dense[heads + h] * d.relative[t][h] +
                 dense[neighbour_index + h] * d.beside[t][h];
        for (std::uint32_t k = d.begin[t]; k < d.begin[t + 1]; ++k) z += d.entries[k].value * self[d.entries[k].bucket];
        for (const std::size_t u : {t - 1, t + 1}) {
            if (u >= d.label.size()) continue;  // t - 1 wraps for t = 0
            for (std::uint32_t k = d.begin[u]; k < d.begin[u + 1]; ++k)
                z += d.entries[k].value * context[d.entries[k].bucket];
        }
        return z;
    }

    static void adagrad(float& w, float& g2, float g, float lr) {
        g2 += g * g;
        w -= lr * g / std::sqrt(g2 + 1e-6f);
    }

    void step(const span_doc& d, std::size_t t, float weight) {
        const float g = weight * (sigmoid(token_logit(d, t)) - static_cast<float>(d.label[t]));
        for (std::size_t h = 0; h < heads; ++h) {
            adagrad(dense[h], g_dense[h], g * d.share[t][h], dense_lr);
            adagrad(dense[heads + h], g_dense[heads + h], g * d.relative[t][h], dense_lr);
            if (neighbours) adagrad(dense[neighbour_index + h], g_dense[neighbour_index + h], g * d.beside[t][h], dense_lr);
        }
        adagrad(dense[doc_index], g_dense[doc_index], g * d.doc_logit, dense_lr);
        adagrad(dense[bias_index], g_dense[bias_index], g, dense_lr);
        for (std::uint32_t k = d.begin[t]; k < d.begin[t + 1]; ++k) {
            const auto b = d.entries[k].bucket;
            adagrad(self[b], g_self[b], g * d.entries[k].value + l2 * self[b], lr);
        }
        for (const std::size_t u : {t - 1, t + 1}) {
            if (u >= d.label.size()) continue;
            for (std::uint32_t k = d.begin[u]; k < d.begin[u + 1]; ++k) {
                const auto b = d.entries[k].bucket;
                adagrad(context[b], g_context[b], g * d.entries[k].value + l2 * context[b], lr);
            }
        }
    }
};

}  // namespace

span_weights train_span_model(const linear_model& model, const dataset& data, const options& opt) {
    const feature_extractor fx(model.config());
    std::vector<span_doc> docs;
    std::size_t positives = 0, tokens = 0, negative_docs = 0;
    for (std::size_t i : data.train) {
        const example& e = data.examples[i];
        const bool negative = !e.has_spans && e.y[tox] == 0 && negative_docs < opt.span_negative_docs && i % 4 == 0;
        if (!e.has_spans && !negative) continue;
        negative_docs += negative;
        docs.push_back(make_doc(model, fx, e));
        for (auto l : docs.back().label) positives += l;
        tokens += docs.back().label.size();
    }
    progress("span model: " + std::to_string(docs.size()) + " documents (" + std::to_string(negative_docs) +
             " non-toxic), " + std::to_string(tokens) + " tokens, " + std::to_string(positives) + " in gold spans");
    span_learner learner(model.config().buckets);
    learner.lr = opt.span_lr;
    learner.dense_lr = opt.span_dense_lr;
    learner.l2 = opt.span_l2;
    learner.neighbours = opt.span_neighbours;
    const double mean_tokens = static_cast<double>(tokens) / static_cast<double>(std::max<std::size_t>(docs.size(), 1));
    std::mt19937_64 rng(opt.seed + 1);
    for (int epoch = 1; epoch <= opt.span_epochs; ++epoch) {
        std::vector<std::size_t> order(docs.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng() % i)]);
        double loss = 0;
        for (std::size_t k : order) {
            const float doc_w = static_cast<float>(std::pow(mean_tokens / static_cast<double>(std::max<std::size_t>(docs[k].label.size(), 1)), opt.span_doc_weighting));
            for (std::size_t t = 0; t < docs[k].label.size(); ++t) {
                const float p = sigmoid(learner.token_logit(docs[k], t));
                loss -= std::log(std::max(1e-7f, docs[k].label[t] ? p : 1 - p));
                learner.step(docs[k], t, doc_w * (docs[k].label[t] ? opt.span_positive_weight : 1.0f));
            }
        }
        progress("span epoch " + std::to_string(epoch) + "/" + std::to_string(opt.span_epochs) +
                 " train token log loss " + fmt(loss / static_cast<double>(std::max<std::size_t>(tokens, 1)), 4));
    }
    span_weights out;
    out.self = std::move(learner.self);
    out.context = std::move(learner.context);
    for (std::size_t h = 0; h < heads; ++h) {
        out.params.head_weight[h] = learner.dense[h];
        out.params.relative_weight[h] = learner.dense[heads + h];
        out.params.neighbour_weight[h] = learner.dense[span_learner::neighbour_index + h];
    }
    out.params.doc_weight = learner.dense[span_learner::doc_index];
    out.params.bias = learner.dense[span_learner::bias_index];
    return out;
}

double span_f1_of(const linear_model& model, const dataset& data, const std::vector<std::size_t>& indices) {
    const linear_classifier clf(model);
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i : indices) {
        const example& e = data.examples[i];
        if (!e.has_spans) continue;
        auto c = clf.classify(e.original);
        if (!c) continue;
        std::set<std::size_t> pred;
        for (const span& s : c->spans)
            if (s.attr == attribute::toxicity)
                for (std::size_t o = s.start; o < s.end; ++o) pred.insert(o);
        sum += span_f1(pred, std::set<std::size_t>(e.gold.begin(), e.gold.end()));
        ++n;
    }
    return n ? sum / static_cast<double>(n) : -1;
}

void dump_span_tokens(const linear_model& model, const dataset& data, const std::string& path) {
    std::ofstream out(path);
    const feature_extractor fx(model.config());
    text_feature_set fs;
    std::vector<head_logits> contrib;
    std::vector<float> prob;
    for (std::size_t i : data.valid) {
        const example& e = data.examples[i];
        if (!e.has_spans) continue;
        const normalized_text n = normalize(e.original).value();
        fx.extract(n.text, fs);
        head_logits z;
        model.score(fs, z, &contrib);
        model.span_probabilities(fs, z, contrib, prob);
        const auto tox_h = attribute::toxicity;
        const bool reviewed = model.calibrated(tox_h, z[tox], language_detector::detect(n.text, fs.tokens)) >=
                              model.thresholds(tox_h).review;
        out << e.key << '\t' << (in_calibration_half(e) ? "cal" : "rep") << (reviewed ? "" : "-") << '\t';
        for (std::size_t k = 0; k < e.gold.size(); ++k) out << (k ? "," : "") << e.gold[k];
        out << '\t';
        for (std::size_t t = 0; t < fs.tokens.size(); ++t) {
            const auto [a, b] = n.to_original(fs.tokens[t].start, fs.tokens[t].end);
            out << (t ? "," : "") << a << ':' << b << ':' << prob[t];
        }
        out << '\t' << e.original << '\n';
    }
}

void choose_span_threshold(linear_model& model, const dataset& data) {
    span_parameters p = model.span_model();
    float best_t = 0.5f, best_r = 0.0f;
    double best = -1;
    for (const float r : {0.0f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f})
        for (int k = 1; k <= 19; ++k) {
            p.threshold = 0.05f * static_cast<float>(k);
            p.relative = r;
            model.set_span_model(p);
            const double f1 = span_f1_of(model, data, data.calibration);
            if (f1 > best + 1e-9) {
                best = f1;
                best_t = p.threshold;
                best_r = r;
            }
        }
    p.threshold = best_t;
    p.relative = best_r;
    model.set_span_model(p);
    progress("span threshold " + fmt(best_t, 2) + ", relative " + fmt(best_r, 2) + " (calibration-half span F1 " +
             fmt(best) + ")");
}

}  // namespace tribune::train

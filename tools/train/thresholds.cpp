#include "tools/train/thresholds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/text/text_normalizer.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/span_chars.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

constexpr std::size_t tox = static_cast<std::size_t>(attribute::toxicity);

// A toxic_spans2021 post with what the span rule needs.
struct span_post {
    normalized_text n;
    std::vector<char32_t> cps;
    std::set<std::size_t> gold;
    text_feature_set fs;
    std::vector<head_logits> contrib;
    float score;
};

double mean_span_f1(const std::vector<span_post>& posts, float fraction, float review) {
    double sum = 0;
    for (const span_post& p : posts) {
        std::vector<std::pair<std::size_t, std::size_t>> sp;
        float top = 0.0f;
        for (const head_logits& c : p.contrib) top = std::max(top, c[tox]);
        if (p.score >= review)
            for (std::size_t k = 0; k < p.contrib.size(); ++k)
                if (p.contrib[k][tox] > 0 && p.contrib[k][tox] >= fraction * top)
                    sp.push_back(p.n.to_original(p.fs.tokens[k].start, p.fs.tokens[k].end));
        sum += span_f1(predicted_chars(sp, p.cps), p.gold);
    }
    return posts.empty() ? 0 : sum / static_cast<double>(posts.size());
}

}  // namespace

void choose_head_thresholds(linear_model& model, const feature_extractor& fx, const dataset& data,
                            const options& opt) {
    std::array<std::vector<scored>, heads> vq;
    text_feature_set fs;
    head_logits z;
    for (std::size_t i : data.valid) {
        fx.extract(data.examples[i].text, fs);
        model.score(fs, z, nullptr);
        for (std::size_t h = 0; h < heads; ++h)
            if (data.examples[i].y[h] >= 0) vq[h].push_back({sigmoid(z[h]), data.examples[i].y[h]});
    }
    for (std::size_t h = 0; h < heads; ++h) {
        const chosen_thresholds c = choose(vq[h], opt.review_recall, opt.review_max_fpr, opt.reject_precision, 10);
        // "never reached" is stored as +infinity so that a score that rounds to 1.0f does not pass it.
        const float reject = c.reject >= 1.0f ? std::numeric_limits<float>::infinity() : c.reject;
        model.set_thresholds(static_cast<attribute>(h), head_thresholds{c.decision, c.review, reject, 0.0f});
    }
    progress("quantized to int8; thresholds chosen on validation");
}

float choose_span_fraction(linear_model& model, const feature_extractor& fx, const dataset& data) {
    std::vector<span_post> posts;
    for (std::size_t i : data.train) {
        const example& e = data.examples[i];
        if (!e.has_spans) continue;
        span_post p;
        p.n = normalize(e.original).value();
        p.cps = code_points(e.original);
        p.gold = std::set<std::size_t>(e.gold.begin(), e.gold.end());
        fx.extract(p.n.text, p.fs);
        head_logits zz;
        model.score(p.fs, zz, &p.contrib);
        p.score = sigmoid(zz[tox]);
        posts.push_back(std::move(p));
    }
    const float review = model.thresholds(attribute::toxicity).review;
    float best_t = 0.05f;
    double best = -1;
    for (float t = 0.05f; t <= 1.0001f; t += 0.05f) {
        const double f1 = mean_span_f1(posts, t, review);
        if (f1 > best + 1e-9) {
            best = f1;
            best_t = t;
        }
    }
    progress("span threshold " + fmt(best_t) + " (train-part span F1 " + fmt(best) + " on " +
             std::to_string(posts.size()) + " posts)");
    for (std::size_t h = 0; h < heads; ++h) {
        head_thresholds t = model.thresholds(static_cast<attribute>(h));
        t.span = best_t;
        model.set_thresholds(static_cast<attribute>(h), t);
    }
    return best_t;
}

}  // namespace tribune::train

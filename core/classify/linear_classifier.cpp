#include "core/classify/linear_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include "core/classify/language_detector.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

result<std::unique_ptr<linear_classifier>> linear_classifier::load(const std::string& path) {
    try {
        auto model = linear_model::load(path);
        if (!model) return model.error();
        return std::make_unique<linear_classifier>(std::move(model).value(), path);
    } catch (const std::exception& e) {  // bad_alloc on a hostile file and the like
        return status::error(error_kind::internal, "model_load_failed",
                             "cannot load model " + path + ": " + e.what());
    }
}

linear_classifier::linear_classifier(linear_model model, std::string description)
    : model_(std::move(model)), extractor_(model_.config()), description_(std::move(description)) {}

std::string linear_classifier::name() const {
    return "tribune linear model (hashed word+char n-grams, 6 heads)" +
           (description_.empty() ? std::string() : " from " + description_);
}

result<classification> linear_classifier::classify(std::string_view text) const {
    auto norm = normalize(text);
    if (!norm) return norm.error();
    return score(norm.value());
}

result<classification> linear_classifier::score_prepared(const prepared_text& text) const {
    return score(text.normal);
}

classification linear_classifier::score(const normalized_text& n) const {
    thread_local text_feature_set features;
    thread_local std::vector<head_logits> contrib;
    extractor_.extract(n.text, features);
    head_logits logits{};
    model_.score(features, logits, &contrib);

    classification out;
    for (std::size_t h = 0; h < attribute_count; ++h) out.values.values[h] = sigmoid(logits[h]);
    out.lang = std::string(language_detector::detect(n.text, features.tokens));

    for (std::size_t h = 0; h < attribute_count; ++h) {
        const auto attr = static_cast<attribute>(h);
        const head_thresholds& th = model_.thresholds(attr);
        if (out.values.values[h] < th.review) continue;
        float positive = 0.0f;
        float top = 0.0f;
        for (const head_logits& c : contrib) {
            if (c[h] > 0) positive += c[h];
            top = std::max(top, c[h]);
        }
        if (positive <= 0) continue;
        const float min_contribution = th.span * top;
        for (std::size_t t = 0; t < contrib.size(); ++t) {
            const float c = contrib[t][h];
            if (c <= 0 || c < min_contribution) continue;
            const text_token& tok = features.tokens[t];
            if (tok.end > n.start.size()) continue;  // defensive: map must cover the token
            const auto [a, b] = n.to_original(tok.start, tok.end);
            out.spans.push_back(span{a, b, attr, c / positive, {}});
        }
    }
    return out;
}

}  // namespace tribune

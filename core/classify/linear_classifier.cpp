#include "core/classify/linear_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>
#include <vector>

#include "core/classify/language_detector.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

// Below the toxicity review threshold, a toxicity span needs at least this probability.
constexpr float confident_span = 0.5f;

// A run of span tokens [first, last] that only spaces separate.
struct token_run {
    std::size_t first = 0;
    std::size_t last = 0;
    float probability = 0.0f;
};

bool only_spaces_between(std::string_view normalized, const text_token& a, const text_token& b) {
    for (std::size_t i = a.byte_end; i < b.byte_begin; ++i)
        if (normalized[i] != ' ') return false;
    return true;
}

void span_runs(std::string_view normalized, const std::vector<text_token>& tokens,
               const std::vector<float>& probability, float threshold, std::vector<token_run>& out) {
    out.clear();
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        if (probability[t] < threshold) continue;
        if (!out.empty() && out.back().last + 1 == t && only_spaces_between(normalized, tokens[t - 1], tokens[t])) {
            out.back().last = t;
            out.back().probability = std::max(out.back().probability, probability[t]);
        } else {
            out.push_back({t, t, probability[t]});
        }
    }
}

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
    return "tribune linear model (hashed word+char n-grams, 6 calibrated heads, span model)" +
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

void linear_classifier::features(const prepared_text& text, model_features& out) const {
    thread_local text_feature_set set;
    thread_local std::vector<std::pair<std::uint32_t, float>> pairs;
    extractor_.extract(text.normal.text, set);
    pairs.clear();
    for (const feature_entry& e : set.entries) pairs.emplace_back(e.bucket, e.value);
    std::sort(pairs.begin(), pairs.end());
    out.clear();
    for (const auto& [bucket, value] : pairs) {
        if (!out.ids.empty() && out.ids.back() == bucket) {
            out.values.back() += value * set.scale;
            continue;
        }
        out.ids.push_back(bucket);
        out.values.push_back(value * set.scale);
    }
}

classification linear_classifier::score(const normalized_text& n) const {
    thread_local text_feature_set features;
    thread_local std::vector<head_logits> contrib;
    thread_local std::vector<float> span_probability;
    thread_local std::vector<token_run> runs;
    extractor_.extract(n.text, features);
    head_logits logits{};
    model_.score(features, logits, &contrib);

    classification out;
    out.lang = std::string(language_detector::detect(n.text, features.tokens));
    for (std::size_t h = 0; h < attribute_count; ++h)
        out.values.values[h] = model_.calibrated(static_cast<attribute>(h), logits[h], out.lang);
    if (features.tokens.empty()) return out;

    model_.span_probabilities(features, logits, contrib, span_probability);
    const span_parameters& sp = model_.span_model();
    float threshold = sp.threshold;
    constexpr auto tox = static_cast<std::size_t>(attribute::toxicity);
    if (sp.relative > 0.0f && out.values.values[tox] >= model_.thresholds(attribute::toxicity).review) {
        const float top = *std::max_element(span_probability.begin(), span_probability.end());
        threshold = std::min(threshold, sp.relative * top);
    }
    span_runs(n.text, features.tokens, span_probability, threshold, runs);
    for (const token_run& r : runs) {
        const text_token& first = features.tokens[r.first];
        const text_token& last = features.tokens[r.last];
        if (last.end > n.start.size()) continue;  // defensive: the map must cover the run
        const std::size_t a = n.to_original(first.start, first.end).first;
        const std::size_t b = n.to_original(last.start, last.end).second;
        for (std::size_t h = 0; h < attribute_count; ++h) {
            const auto attr = static_cast<attribute>(h);
            const bool reviewed = out.values.values[h] >= model_.thresholds(attr).review;
            if (attr == attribute::toxicity) {
                if (reviewed || r.probability >= confident_span)
                    out.spans.push_back(span{a, b, attr, r.probability, {}});
                continue;
            }
            if (!reviewed) continue;
            float share = 0.0f;
            for (std::size_t t = r.first; t <= r.last; ++t) share += contrib[t][h];
            if (share > 0.0f) out.spans.push_back(span{a, b, attr, r.probability, {}});
        }
    }
    return out;
}

}  // namespace tribune

#pragma once
// linear_model: Tribune's trained toxicity model: one logistic head per attribute over
// shared hashed features (see text_features.hpp), a calibration per head, a token-level
// span model, int8-quantized weights with one scale per column, and the thresholds chosen
// on the validation split.
//
//   logit[h] = bias[h] + doc_scale * sum_entries(value * weight_scale[h] * q[bucket][h])
//   score[h] = sigmoid(calib_a[h][lang] * logit[h] + calib_b[h][lang])      (Platt scaling)
//
// with one calibration per head for each language of calibration_languages (the language
// language_detector gives the text) and a main one for any other ("und"). A language the
// trainer had too few validation texts for carries the main calibration.
//
// The sum decomposes exactly over tokens, so score() can also return each token's share
// of each head's logit. The span model scores each token t from two more weight columns
// (the token's own features and its neighbours' features, without document scaling), the
// token's unscaled share of each head and the document's toxicity logit:
//
//   span_logit[t] = span.bias + self[t] + context[t-1] + context[t+1]
//                   + sum_h span.head_weight[h] * share[t][h] / doc_scale
//                   + sum_h span.relative_weight[h] * share[t][h] / max_u share[u][h]
//                   + sum_h span.neighbour_weight[h] * (share[t-1][h] + share[t+1][h]) / max_u share[u][h]
//                   + span.doc_weight * logit[toxicity]
//
// (the relative term is 0 for a head with no positive share; it is what lets the model pick
// the one or two words that carry a document, as gold spans mostly are; the neighbour term,
// the same for the tokens either side, lets a span grow over a phrase).
//
// and a token belongs to a toxic span when sigmoid(span_logit[t]) >= span.threshold, or,
// in a text whose toxicity reaches its review threshold, when it is at least
// span.relative times the text's most probable token (linear_classifier applies this).
//
// The deep part (bag_network.hpp, optional) adds an embedding-bag network's output to each
// logit, and the convolutional part (conv_network.hpp, optional) a convolutional network's;
// their shares belong to no token:
//
//   logit[h] = bias[h] + deep[h] + conv[h] + sum over tokens of share[t][h]
//
// File format 5 (little-endian): magic "TRIBLM05", u32 version (5), u32 heads (6), u32
// columns (8), u32 buckets, u32 char_ngram_min, u32 char_ngram_max, u32 word_bigrams,
// u32 max_tokens, u32 min_norm_sq, u32 feature flags (bit 0 scope features, bit 1 joined pairs),
// heads x {f32 bias, weight_scale, calib_a, calib_b, decision, review, reject,
// per language of calibration_languages {calib_a, calib_b}},
// span {f32 self_scale, context_scale, bias, doc_weight, threshold, relative, 6 x head_weight,
// 6 x relative_weight, 6 x neighbour_weight},
// buckets*columns i8 weights (row-major by bucket: 6 heads, span self, span context),
// the deep part (bag_network::serialize; u32 0 0 0 when there is none),
// the convolutional part (conv_network::serialize; u32 0 0 0 0 0 when there is none),
// u64 FNV-1a checksum of all preceding bytes (model_file.hpp). Format 1 to 4 files
// ("TRIBLM01" to "TRIBLM04"; format 3 had one calibration per head, format 4 no
// convolutional part) are refused with a message that says to retrain.
//
// Thread safety: immutable after load()/quantize(); score() is const and safe from any
// number of threads.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/classify/byte_table.hpp"
#include "core/domain/attribute.hpp"
#include "core/domain/status.hpp"
#include "core/classify/bag_network.hpp"
#include "core/classify/conv_network.hpp"
#include "core/classify/text_features.hpp"

namespace tribune {

// Thresholds on CALIBRATED scores (see the model card for how they are chosen).
struct head_thresholds {
    float decision = 0.5f;  // max-F1 threshold on validation (what "positive" means in metrics)
    float review = 0.5f;    // suggested triage review_above (recall-oriented)
    float reject = 0.95f;   // suggested triage reject_above (precision-oriented); inf: never
};

// Platt scaling of one head: score = sigmoid(a * logit + b).
struct head_calibration {
    float a = 1.0f;
    float b = 0.0f;
};

struct span_parameters {
    float bias = 0.0f;
    float doc_weight = 0.0f;  // times the document's toxicity logit (uncalibrated)
    std::array<float, attribute_count> head_weight{};  // times the token's unscaled head share
    // times the token's share relative to the document's largest share of that head
    std::array<float, attribute_count> relative_weight{};
    // times the neighbours' (t - 1 and t + 1) shares relative to the document's largest;
    // all 0 in the shipped models (no gain measured), and then span_probabilities skips the term
    std::array<float, attribute_count> neighbour_weight{};
    float threshold = 0.5f;   // token probability at which a token is in a span
    // In a text toxic enough for review, a token at least this share of the text's largest
    // token probability is in a span too (0: off). Gold spans mostly mark the one or two
    // words that carry a text, whatever their absolute probability.
    float relative = 0.0f;
};

using head_logits = std::array<float, attribute_count>;

// Languages (language_detector's codes) that may have a calibration of their own.
inline constexpr std::array<std::string_view, 2> calibration_languages = {"en", "fr"};

// Weight columns per bucket: the six heads, then the span model's self and context columns.
inline constexpr std::size_t model_columns = attribute_count + 2;
inline constexpr std::size_t span_self_column = attribute_count;
inline constexpr std::size_t span_context_column = attribute_count + 1;

class linear_model {
public:
    static constexpr std::uint32_t format_version = 5;
    static constexpr std::uint64_t max_file_bytes = 64ull << 20;

    // Errors: not_found "model_missing" when the file cannot be opened; invalid_argument
    // "model_corrupt" when it is truncated, has the wrong magic/version/sizes or checksum
    // (the message names an older format when it recognises one).
    static result<linear_model> load(const std::string& path);

    // Builds a model from float weights (buckets * model_columns, row-major by bucket);
    // each column gets its own int8 scale.
    static linear_model quantize(const feature_config& config, const std::vector<float>& weights,
                                 const head_logits& bias);

    status save(const std::string& path) const;

    const feature_config& config() const { return config_; }
    const head_thresholds& thresholds(attribute a) const {
        return thresholds_[static_cast<std::size_t>(a)];
    }
    void set_thresholds(attribute a, head_thresholds t) {
        thresholds_[static_cast<std::size_t>(a)] = t;
    }
    // The calibration of head `a` for a text in `lang` (the main one for a language
    // outside calibration_languages).
    const head_calibration& calibration(attribute a, std::string_view lang = {}) const;
    // Sets the main calibration of head `a` and, for every language, its calibration too.
    void set_calibration(attribute a, head_calibration c);
    // Sets the calibration of head `a` for `lang` only. REQUIRES: lang is in calibration_languages.
    void set_language_calibration(attribute a, std::string_view lang, head_calibration c);
    const span_parameters& span_model() const { return span_; }
    const bag_network& deep() const { return deep_; }
    void set_deep(bag_network d) { deep_ = std::move(d); }
    const conv_network& conv() const { return conv_; }
    void set_conv(conv_network c) { conv_ = std::move(c); }
    void set_span_model(const span_parameters& s) { span_ = s; }

    // The calibrated score of head `a` for an (uncalibrated) logit of a text in `lang`.
    float calibrated(attribute a, float logit, std::string_view lang = {}) const;

    // Fills `logits` (uncalibrated); when token_contrib is not null, resizes it to
    // features.tokens.size() and fills each token's exact share of each logit's linear part
    // (the bias, the deep and the convolutional part are in no token).
    void score(const text_feature_set& features, head_logits& logits,
               std::vector<head_logits>* token_contrib) const;

    // Token probabilities of the span model. REQUIRES: `logits` and `token_contrib` come
    // from score() on the same `features`. Resizes `out` to the number of tokens.
    void span_probabilities(const text_feature_set& features, const head_logits& logits,
                            const std::vector<head_logits>& token_contrib, std::vector<float>& out) const;

private:
    linear_model() = default;

    feature_config config_;
    head_logits bias_{};
    std::array<float, model_columns> weight_scale_{};
    std::array<head_calibration, attribute_count> calibration_{};
    std::array<std::array<head_calibration, attribute_count>, calibration_languages.size()> language_calibration_{};
    std::array<head_thresholds, attribute_count> thresholds_{};
    span_parameters span_;
    byte_table weights_;  // buckets * model_columns
    bag_network deep_;
    conv_network conv_;
};

}  // namespace tribune

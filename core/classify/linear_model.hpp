#pragma once
// linear_model: Tribune's trained toxicity model: one logistic head per attribute over
// shared hashed features (see text_features.hpp), int8-quantized weights with one scale
// per head, and the thresholds chosen on the validation split.
//
//   logit[h] = bias[h] + scale * sum_entries(value * weight_scale[h] * q[bucket][h])
//
// The sum decomposes exactly over tokens, so score() can also return each token's share
// of each head's logit (the explanation spans are built from these).
//
// File format (little-endian): magic "TRIBLM01", u32 version, u32 heads, u32 buckets,
// u32 char_ngram_min, u32 char_ngram_max, u32 word_bigrams, u32 max_tokens,
// heads x {f32 bias, f32 weight_scale, f32 decision, f32 review, f32 reject, f32 span},
// buckets*heads i8 weights (row-major by bucket), u64 FNV-1a checksum of all preceding bytes.
//
// Thread safety: immutable after load()/quantize(); score() is const and safe from any
// number of threads.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/attribute.hpp"
#include "core/domain/status.hpp"
#include "core/classify/text_features.hpp"

namespace tribune {

struct head_thresholds {
    float decision = 0.5f;  // max-F1 threshold on validation (what "positive" means in metrics)
    float review = 0.5f;    // suggested triage review_above (recall-oriented)
    float reject = 0.95f;   // suggested triage reject_above (precision-oriented)
    float span = 0.6f;      // a token is a span when its contribution >= span * the largest one
};

using head_logits = std::array<float, attribute_count>;

class linear_model {
public:
    static constexpr std::uint32_t format_version = 1;
    static constexpr std::uint64_t max_file_bytes = 64ull << 20;

    // Errors: not_found "model_missing" when the file cannot be opened; invalid_argument
    // "model_corrupt" when it is truncated, has the wrong magic/version/sizes or checksum.
    static result<linear_model> load(const std::string& path);

    // Builds a model from float weights (buckets * attribute_count, row-major by bucket).
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

    // Fills `logits`; when token_contrib is not null, resizes it to features.tokens.size()
    // and fills each token's exact share of each logit (the bias is not in any token).
    void score(const text_feature_set& features, head_logits& logits,
               std::vector<head_logits>* token_contrib) const;

private:
    linear_model() = default;

    feature_config config_;
    head_logits bias_{};
    head_logits weight_scale_{};
    std::array<head_thresholds, attribute_count> thresholds_{};
    std::vector<std::int8_t> weights_;  // buckets * attribute_count
};

}  // namespace tribune

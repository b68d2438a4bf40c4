#pragma once
// question_detector: Tribune's "is it a question?" signal: a small logistic model over
// question_features (the text's words, its sentence openings and endings, its '?' marks)
// that says whether a text asks something, as opposed to a statement, a slogan or a rant.
// Hostility plays no part: it is a separate model from the toxicity classifier, trained
// by scripts/train-model (tools/train/train_question.cpp) into models/question.tlm; its
// precision and recall are in models/MODEL_CARD.md.
//
//   probability = sigmoid(calib_a * (bias + scale * sum of weight[bucket]) + calib_b)
//
// File format 1 (little-endian): magic "TRIBQD01", u32 version (1), u32 buckets,
// f32 bias, weight_scale, calib_a, calib_b, threshold, buckets x i8 weights, u64 FNV-1a
// checksum of all preceding bytes (model_file.hpp).
//
// Thread safety: immutable after load(); question_probability() is const and safe from
// any number of threads (its scratch buffer is thread_local). Microseconds per text.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/classify/byte_table.hpp"
#include "core/classify/question_features.hpp"
#include "core/domain/status.hpp"
#include "core/text/prepared_text.hpp"

namespace tribune {

class question_detector {
public:
    static constexpr std::uint32_t format_version = 1;
    static constexpr std::uint64_t max_file_bytes = 16ull << 20;

    // Errors: not_found "model_missing" when the file cannot be opened; invalid_argument
    // "model_corrupt" when it is not a valid question model. Never throws.
    static result<std::unique_ptr<question_detector>> load(const std::string& path);

    // From float weights (one per bucket): quantized to int8 with one scale.
    // REQUIRES: weights.size() is a power of two.
    static question_detector quantize(const std::vector<float>& weights, float bias);

    status save(const std::string& path) const;

    // The probability that the text asks something, in [0, 1]. Reads text.normal.
    float question_probability(const prepared_text& text) const;
    // The same for a text already normalised (tribune::normalize(...).text).
    float question_probability(std::string_view normalized) const;
    // The uncalibrated logit (the trainer fits the calibration on it).
    float logit(std::string_view normalized) const;

    // The probability at or above which a text counts as a question (chosen by the trainer;
    // the model card reports precision and recall there).
    float threshold() const { return threshold_; }
    void set_calibration(float a, float b) { calib_a_ = a, calib_b_ = b; }
    void set_threshold(float t) { threshold_ = t; }
    float calibration_a() const { return calib_a_; }
    float calibration_b() const { return calib_b_; }
    std::uint32_t buckets() const { return static_cast<std::uint32_t>(weights_.size()); }

    std::string name() const;

private:
    question_detector() : features_(1) {}

    question_features features_;
    float bias_ = 0.0f, weight_scale_ = 1.0f, calib_a_ = 1.0f, calib_b_ = 0.0f, threshold_ = 0.5f;
    byte_table weights_;
    std::string description_;
};

}  // namespace tribune

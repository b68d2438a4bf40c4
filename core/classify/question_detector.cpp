#include "core/classify/question_detector.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>

#include "core/classify/model_file.hpp"

namespace tribune {
namespace {

constexpr char detector_magic[8] = {'T', 'R', 'I', 'B', 'Q', 'D', '0', '1'};
constexpr const char* detector_file_kind = "Tribune question model";
constexpr std::uint32_t detector_max_buckets = 1u << 22;

}  // namespace

question_detector question_detector::quantize(const std::vector<float>& weights, float bias) {
    question_detector d;
    d.features_ = question_features(static_cast<std::uint32_t>(weights.size()));
    d.bias_ = bias;
    d.weights_ = model_file::quantize_columns(weights, 1, &d.weight_scale_);
    return d;
}

status question_detector::save(const std::string& path) const {
    std::string out(detector_magic, sizeof detector_magic);
    model_file::put<std::uint32_t>(out, format_version);
    model_file::put<std::uint32_t>(out, buckets());
    for (float v : {bias_, weight_scale_, calib_a_, calib_b_, threshold_}) model_file::put<float>(out, v);
    out.append(reinterpret_cast<const char*>(weights_.data()), weights_.size());
    return model_file::save_with_checksum(std::move(out), path);
}

result<std::unique_ptr<question_detector>> question_detector::load(const std::string& path) {
    try {
        auto file = model_file::read_file(path, max_file_bytes, detector_file_kind);
        if (!file) return file.error();
        const std::string_view in = file.value()->view();
        auto corrupt = [&](const std::string& why) { return model_file::corrupt(path, detector_file_kind, why); };
        if (in.size() < sizeof detector_magic + 8 || std::memcmp(in.data(), detector_magic, sizeof detector_magic) != 0)
            return corrupt("wrong magic (not a question model)");
        if (!model_file::checksum_ok(in)) return corrupt("checksum mismatch");
        model_file::reader r(in, sizeof detector_magic, in.size() - 8, file.value());
        const auto version = r.get<std::uint32_t>();
        const auto buckets = r.get<std::uint32_t>();
        if (r.failed() || version != format_version) return corrupt("unsupported version " + std::to_string(version));
        if (buckets == 0 || (buckets & (buckets - 1)) != 0 || buckets > detector_max_buckets) return corrupt("bad bucket count");
        std::unique_ptr<question_detector> d(new question_detector());
        d->features_ = question_features(buckets);
        d->bias_ = r.read_float();
        d->weight_scale_ = r.read_float();
        d->calib_a_ = r.read_float();
        d->calib_b_ = r.read_float();
        d->threshold_ = r.read_float();
        if (r.failed() || r.left() != buckets) return corrupt("size does not match its header");
        if (!r.finite()) return corrupt("non-finite parameters");
        d->weights_ = r.table(buckets);
        d->description_ = path;
        return d;
    } catch (const std::exception& e) {  // bad_alloc and the like
        return status::error(error_kind::internal, "model_load_failed", "cannot load model " + path + ": " + e.what());
    }
}

float question_detector::logit(std::string_view normalized) const {
    thread_local question_feature_set fs;
    features_.extract(normalized, fs);
    std::int32_t sum = 0;
    for (std::uint32_t b : fs.buckets) sum += weights_[b];
    return bias_ + fs.scale * weight_scale_ * static_cast<float>(sum);
}

float question_detector::question_probability(std::string_view normalized) const {
    return 1.0f / (1.0f + std::exp(-(calib_a_ * logit(normalized) + calib_b_)));
}

float question_detector::question_probability(const prepared_text& text) const {
    return question_probability(std::string_view(text.normal.text));
}

std::string question_detector::name() const {
    return "tribune question detector (hashed words, sentence openings and endings)" +
           (description_.empty() ? std::string() : " from " + description_);
}

}  // namespace tribune

#include "core/classify/linear_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace tribune {
namespace {

constexpr char magic[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '2'};
constexpr char magic_v1[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '1'};
constexpr std::size_t header_u32s = 10;
constexpr std::size_t floats_per_head = 7;
constexpr std::size_t span_floats = 5 + 2 * attribute_count;
constexpr std::uint32_t flag_scope = 1u;
constexpr std::uint32_t flag_joined = 2u;
constexpr std::size_t prefetch_distance = 16;

std::uint64_t fnv64(const char* data, std::size_t n) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<unsigned char>(data[i]);
        h *= 1099511628211ull;
    }
    return h;
}

template <typename T>
void put(std::string& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

template <typename T>
T get(const std::string& in, std::size_t& pos) {
    T v;
    std::memcpy(&v, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
}

status corrupt(const std::string& path, const std::string& why) {
    return status::error(error_kind::invalid_argument, "model_corrupt",
                         "model file " + path + " is not a valid Tribune model: " + why);
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

linear_model linear_model::quantize(const feature_config& config, const std::vector<float>& weights,
                                    const head_logits& bias) {
    linear_model m;
    m.config_ = config;
    m.bias_ = bias;
    m.weights_.resize(weights.size());
    for (std::size_t c = 0; c < model_columns; ++c) {
        float max_abs = 0.0f;
        for (std::size_t i = c; i < weights.size(); i += model_columns)
            max_abs = std::max(max_abs, std::fabs(weights[i]));
        const float scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
        m.weight_scale_[c] = scale;
        for (std::size_t i = c; i < weights.size(); i += model_columns) {
            const float q = std::nearbyint(weights[i] / scale);
            m.weights_[i] = static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f));
        }
    }
    return m;
}

status linear_model::save(const std::string& path) const {
    std::string out;
    out.append(magic, sizeof magic);
    put<std::uint32_t>(out, format_version);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(attribute_count));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(model_columns));
    put<std::uint32_t>(out, config_.buckets);
    put<std::uint32_t>(out, config_.char_ngram_min);
    put<std::uint32_t>(out, config_.char_ngram_max);
    put<std::uint32_t>(out, config_.word_bigrams ? 1u : 0u);
    put<std::uint32_t>(out, config_.max_tokens);
    put<std::uint32_t>(out, config_.min_norm_sq);
    put<std::uint32_t>(out, (config_.scope_features ? flag_scope : 0u) | (config_.joined_pairs ? flag_joined : 0u));
    for (std::size_t h = 0; h < attribute_count; ++h) {
        put<float>(out, bias_[h]);
        put<float>(out, weight_scale_[h]);
        put<float>(out, calibration_[h].a);
        put<float>(out, calibration_[h].b);
        put<float>(out, thresholds_[h].decision);
        put<float>(out, thresholds_[h].review);
        put<float>(out, thresholds_[h].reject);
    }
    put<float>(out, weight_scale_[span_self_column]);
    put<float>(out, weight_scale_[span_context_column]);
    put<float>(out, span_.bias);
    put<float>(out, span_.doc_weight);
    put<float>(out, span_.threshold);
    for (float w : span_.head_weight) put<float>(out, w);
    for (float w : span_.relative_weight) put<float>(out, w);
    out.append(reinterpret_cast<const char*>(weights_.data()), weights_.size());
    put<std::uint64_t>(out, fnv64(out.data(), out.size()));
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return status::error(error_kind::internal, "model_write", "cannot write " + path);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!f) return status::error(error_kind::internal, "model_write", "cannot write " + path);
    return status::ok();
}

result<linear_model> linear_model::load(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return status::error(error_kind::not_found, "model_missing",
                             "cannot open model file " + path);
    f.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(0, f.tellg()));
    if (size > max_file_bytes) return corrupt(path, "file too large");
    f.seekg(0, std::ios::beg);
    std::string in(static_cast<std::size_t>(size), '\0');
    f.read(in.data(), static_cast<std::streamsize>(size));
    if (!f) return corrupt(path, "read failed");

    if (in.size() >= sizeof magic_v1 && std::memcmp(in.data(), magic_v1, sizeof magic_v1) == 0)
        return corrupt(path, "it is in format 1 (an older Tribune model without calibration or span "
                             "model); this build reads format 2: retrain with scripts/train-model");
    const std::size_t fixed = sizeof magic + header_u32s * 4;
    if (in.size() < fixed + 8) return corrupt(path, "too short");
    if (std::memcmp(in.data(), magic, sizeof magic) != 0) return corrupt(path, "wrong magic");
    std::size_t pos = sizeof magic;
    const auto version = get<std::uint32_t>(in, pos);
    const auto heads = get<std::uint32_t>(in, pos);
    const auto columns = get<std::uint32_t>(in, pos);
    linear_model m;
    m.config_.buckets = get<std::uint32_t>(in, pos);
    m.config_.char_ngram_min = get<std::uint32_t>(in, pos);
    m.config_.char_ngram_max = get<std::uint32_t>(in, pos);
    m.config_.word_bigrams = get<std::uint32_t>(in, pos) != 0;
    m.config_.max_tokens = get<std::uint32_t>(in, pos);
    m.config_.min_norm_sq = get<std::uint32_t>(in, pos);
    const auto flags = get<std::uint32_t>(in, pos);
    m.config_.scope_features = (flags & flag_scope) != 0;
    m.config_.joined_pairs = (flags & flag_joined) != 0;
    if (version != format_version) return corrupt(path, "unsupported version " + std::to_string(version));
    if (heads != attribute_count || columns != model_columns) return corrupt(path, "wrong number of heads");
    if ((flags & ~(flag_scope | flag_joined)) != 0) return corrupt(path, "unknown feature flags");
    const std::uint32_t b = m.config_.buckets;
    if (b == 0 || (b & (b - 1)) != 0 || b > (1u << 24)) return corrupt(path, "bad bucket count");
    if (m.config_.char_ngram_max > 16 || m.config_.char_ngram_min > m.config_.char_ngram_max ||
        m.config_.max_tokens == 0 || m.config_.max_tokens > 100000 || m.config_.min_norm_sq > 100000)
        return corrupt(path, "bad feature parameters");
    const std::uint64_t expected = fixed + (attribute_count * floats_per_head + span_floats) * 4 +
                                   std::uint64_t{b} * model_columns + 8;
    if (in.size() != expected) return corrupt(path, "size does not match its header");
    const std::uint64_t stored = [&] {
        std::size_t p = in.size() - 8;
        return get<std::uint64_t>(in, p);
    }();
    if (fnv64(in.data(), in.size() - 8) != stored) return corrupt(path, "checksum mismatch");
    bool finite = true;
    auto read_float = [&] {
        const float v = get<float>(in, pos);
        finite = finite && std::isfinite(v);
        return v;
    };
    for (std::size_t h = 0; h < attribute_count; ++h) {
        m.bias_[h] = read_float();
        m.weight_scale_[h] = read_float();
        m.calibration_[h].a = read_float();
        m.calibration_[h].b = read_float();
        m.thresholds_[h].decision = get<float>(in, pos);
        m.thresholds_[h].review = get<float>(in, pos);
        m.thresholds_[h].reject = get<float>(in, pos);  // +inf: never
    }
    m.weight_scale_[span_self_column] = read_float();
    m.weight_scale_[span_context_column] = read_float();
    m.span_.bias = read_float();
    m.span_.doc_weight = read_float();
    m.span_.threshold = read_float();
    for (float& w : m.span_.head_weight) w = read_float();
    for (float& w : m.span_.relative_weight) w = read_float();
    if (!finite) return corrupt(path, "non-finite parameters");
    m.weights_.resize(std::size_t{b} * model_columns);
    std::memcpy(m.weights_.data(), in.data() + pos, m.weights_.size());
    return m;
}

float linear_model::calibrated(attribute a, float logit) const {
    const head_calibration& c = calibration_[static_cast<std::size_t>(a)];
    return sigmoid(c.a * logit + c.b);
}

void linear_model::score(const text_feature_set& features, head_logits& logits,
                         std::vector<head_logits>* token_contrib) const {
    // Accumulate integer-scaled sums per token, then apply the per-head scales once.
    std::array<float, attribute_count> total{};
    if (token_contrib) {
        // Integer sums per token: an entry's value is 1 or 1/2 (bigram halves), so count
        // in halves and scale once; int8 weights times at most 2 cannot overflow int32
        // for fewer than 2^23 entries.
        thread_local std::vector<std::array<std::int32_t, attribute_count>> acc;
        acc.assign(features.tokens.size(), {});
        const std::size_t n = features.entries.size();
        for (std::size_t i = 0; i < n; ++i) {
            // Rows are scattered over a table larger than L2: fetch a few entries ahead.
            if (i + prefetch_distance < n)
                __builtin_prefetch(&weights_[std::size_t{features.entries[i + prefetch_distance].bucket} *
                                             model_columns]);
            const feature_entry& e = features.entries[i];
            const std::int8_t* row = &weights_[std::size_t{e.bucket} * model_columns];
            const auto units = static_cast<std::int32_t>(e.value * 2.0f);  // values are k/2
            auto& a = acc[e.token];
            for (std::size_t h = 0; h < attribute_count; ++h) a[h] += units * row[h];
        }
        token_contrib->resize(features.tokens.size());
        head_logits unit{};
        for (std::size_t h = 0; h < attribute_count; ++h)
            unit[h] = 0.5f * features.scale * weight_scale_[h];
        for (std::size_t t = 0; t < acc.size(); ++t)
            for (std::size_t h = 0; h < attribute_count; ++h) {
                (*token_contrib)[t][h] = static_cast<float>(acc[t][h]) * unit[h];
                total[h] += (*token_contrib)[t][h];
            }
    } else {
        for (const feature_entry& e : features.entries) {
            const std::int8_t* row = &weights_[std::size_t{e.bucket} * model_columns];
            for (std::size_t h = 0; h < attribute_count; ++h) total[h] += e.value * row[h];
        }
        for (std::size_t h = 0; h < attribute_count; ++h)
            total[h] *= features.scale * weight_scale_[h];
    }
    for (std::size_t h = 0; h < attribute_count; ++h) logits[h] = bias_[h] + total[h];
}

void linear_model::span_probabilities(const text_feature_set& features, const head_logits& logits,
                                      const std::vector<head_logits>& token_contrib,
                                      std::vector<float>& out) const {
    const std::size_t n = features.tokens.size();
    thread_local std::vector<std::array<std::int32_t, 2>> acc;
    acc.assign(n, {});
    for (const feature_entry& e : features.entries) {
        const std::int8_t* row = &weights_[std::size_t{e.bucket} * model_columns];
        const auto units = static_cast<std::int32_t>(e.value * 2.0f);
        acc[e.token][0] += units * row[span_self_column];
        acc[e.token][1] += units * row[span_context_column];
    }
    const float self_unit = 0.5f * weight_scale_[span_self_column];
    const float context_unit = 0.5f * weight_scale_[span_context_column];
    const float unscale = features.scale > 0 ? 1.0f / features.scale : 0.0f;
    const float doc = span_.bias + span_.doc_weight * logits[static_cast<std::size_t>(attribute::toxicity)];
    head_logits top{};
    for (std::size_t t = 0; t < n; ++t)
        for (std::size_t h = 0; h < attribute_count; ++h) top[h] = std::max(top[h], token_contrib[t][h]);
    head_logits relative_unit{};
    for (std::size_t h = 0; h < attribute_count; ++h)
        relative_unit[h] = top[h] > 0 ? span_.relative_weight[h] / top[h] : 0.0f;
    out.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        float z = doc + static_cast<float>(acc[t][0]) * self_unit;
        if (t > 0) z += static_cast<float>(acc[t - 1][1]) * context_unit;
        if (t + 1 < n) z += static_cast<float>(acc[t + 1][1]) * context_unit;
        for (std::size_t h = 0; h < attribute_count; ++h)
            z += (span_.head_weight[h] * unscale + relative_unit[h]) * token_contrib[t][h];
        out[t] = sigmoid(z);
    }
}

}  // namespace tribune

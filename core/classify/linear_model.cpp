#include "core/classify/linear_model.hpp"
#include "core/util/sigmoid.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tribune {
namespace {

constexpr char magic[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '5'};
constexpr char magic_v1[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '1'};
constexpr char magic_v2[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '2'};
constexpr char magic_v3[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '3'};
constexpr char magic_v4[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '4'};
constexpr std::size_t header_u32s = 10;
constexpr std::uint32_t flag_scope = 1u;
constexpr std::uint32_t flag_joined = 2u;
constexpr std::uint32_t flag_group = 4u;
constexpr std::size_t weight_prefetch_distance = 16;
constexpr const char* what = "Tribune model";

using model_file::put;

// Index of `lang` in calibration_languages, or calibration_languages.size().
std::size_t language_index(std::string_view lang) {
    return static_cast<std::size_t>(std::find(calibration_languages.begin(), calibration_languages.end(), lang) -
                                    calibration_languages.begin());
}

}  // namespace

const head_calibration& linear_model::calibration(attribute a, std::string_view lang) const {
    const std::size_t l = language_index(lang);
    const auto h = static_cast<std::size_t>(a);
    return l < calibration_languages.size() ? language_calibration_[l][h] : calibration_[h];
}

void linear_model::set_calibration(attribute a, head_calibration c) {
    const auto h = static_cast<std::size_t>(a);
    calibration_[h] = c;
    for (auto& per_language : language_calibration_) per_language[h] = c;
}

void linear_model::set_language_calibration(attribute a, std::string_view lang, head_calibration c) {
    const std::size_t l = language_index(lang);
    if (l < calibration_languages.size()) language_calibration_[l][static_cast<std::size_t>(a)] = c;
}

linear_model linear_model::quantize(const feature_config& config, const std::vector<float>& weights,
                                    const head_logits& bias) {
    linear_model m;
    m.config_ = config;
    m.bias_ = bias;
    m.weights_ = model_file::quantize_columns(weights, model_columns, m.weight_scale_.data());
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
    put<std::uint32_t>(out, (config_.scope_features ? flag_scope : 0u) | (config_.joined_pairs ? flag_joined : 0u) |
                                (config_.group_context ? flag_group : 0u));
    for (std::size_t h = 0; h < attribute_count; ++h) {
        put<float>(out, bias_[h]);
        put<float>(out, weight_scale_[h]);
        put<float>(out, calibration_[h].a);
        put<float>(out, calibration_[h].b);
        put<float>(out, thresholds_[h].decision);
        put<float>(out, thresholds_[h].review);
        put<float>(out, thresholds_[h].reject);
        for (const auto& per_language : language_calibration_) {
            put<float>(out, per_language[h].a);
            put<float>(out, per_language[h].b);
        }
    }
    put<float>(out, weight_scale_[span_self_column]);
    put<float>(out, weight_scale_[span_context_column]);
    put<float>(out, span_.bias);
    put<float>(out, span_.doc_weight);
    put<float>(out, span_.threshold);
    put<float>(out, span_.relative);
    for (float w : span_.head_weight) put<float>(out, w);
    for (float w : span_.relative_weight) put<float>(out, w);
    for (float w : span_.neighbour_weight) put<float>(out, w);
    out.append(reinterpret_cast<const char*>(weights_.data()), weights_.size());
    deep_.serialize(out);
    conv_.serialize(out);
    return model_file::save_with_checksum(std::move(out), path);
}

result<linear_model> linear_model::load(const std::string& path) {
    auto file = model_file::read_file(path, max_file_bytes, what);
    if (!file) return file.error();
    const std::string_view in = file.value()->view();
    auto corrupt = [&](const std::string& why) { return model_file::corrupt(path, what, why); };
    for (const char* old : {magic_v1, magic_v2, magic_v3, magic_v4})
        if (in.size() >= sizeof magic && std::memcmp(in.data(), old, sizeof magic) == 0)
            return corrupt(std::string("it is in format ") + old[7] +
                           " (an older Tribune model); this build reads format 5: retrain with scripts/train-model");
    const std::size_t fixed = sizeof magic + header_u32s * 4;
    if (in.size() < fixed + 8) return corrupt("too short");
    if (std::memcmp(in.data(), magic, sizeof magic) != 0) return corrupt("wrong magic");
    if (!model_file::checksum_ok(in)) return corrupt("checksum mismatch");
    model_file::reader r(in, sizeof magic, in.size() - 8, file.value());
    const auto version = r.get<std::uint32_t>();
    const auto heads = r.get<std::uint32_t>();
    const auto columns = r.get<std::uint32_t>();
    linear_model m;
    m.config_.buckets = r.get<std::uint32_t>();
    m.config_.char_ngram_min = r.get<std::uint32_t>();
    m.config_.char_ngram_max = r.get<std::uint32_t>();
    m.config_.word_bigrams = r.get<std::uint32_t>() != 0;
    m.config_.max_tokens = r.get<std::uint32_t>();
    m.config_.min_norm_sq = r.get<std::uint32_t>();
    const auto flags = r.get<std::uint32_t>();
    m.config_.scope_features = (flags & flag_scope) != 0;
    m.config_.joined_pairs = (flags & flag_joined) != 0;
    m.config_.group_context = (flags & flag_group) != 0;
    if (version != format_version) return corrupt("unsupported version " + std::to_string(version));
    if (heads != attribute_count || columns != model_columns) return corrupt("wrong number of heads");
    if ((flags & ~(flag_scope | flag_joined | flag_group)) != 0) return corrupt("unknown feature flags");
    const std::uint32_t b = m.config_.buckets;
    if (b == 0 || (b & (b - 1)) != 0 || b > (1u << 24)) return corrupt("bad bucket count");
    if (m.config_.char_ngram_max > 16 || m.config_.char_ngram_min > m.config_.char_ngram_max ||
        m.config_.max_tokens == 0 || m.config_.max_tokens > 100000 || m.config_.min_norm_sq > 100000)
        return corrupt("bad feature parameters");
    for (std::size_t h = 0; h < attribute_count; ++h) {
        m.bias_[h] = r.read_float();
        m.weight_scale_[h] = r.read_float();
        m.calibration_[h].a = r.read_float();
        m.calibration_[h].b = r.read_float();
        m.thresholds_[h].decision = r.get<float>();
        m.thresholds_[h].review = r.get<float>();
        m.thresholds_[h].reject = r.get<float>();  // +inf: never
        for (auto& per_language : m.language_calibration_) {
            per_language[h].a = r.read_float();
            per_language[h].b = r.read_float();
        }
    }
    m.weight_scale_[span_self_column] = r.read_float();
    m.weight_scale_[span_context_column] = r.read_float();
    m.span_.bias = r.read_float();
    m.span_.doc_weight = r.read_float();
    m.span_.threshold = r.read_float();
    m.span_.relative = r.read_float();
    for (float& w : m.span_.head_weight) w = r.read_float();
    for (float& w : m.span_.relative_weight) w = r.read_float();
    for (float& w : m.span_.neighbour_weight) w = r.read_float();
    if (r.failed() || r.left() < std::uint64_t{b} * model_columns) return corrupt("size does not match its header");
    if (!r.finite()) return corrupt("non-finite parameters");
    m.weights_ = r.table(std::size_t{b} * model_columns);
    if (!bag_network::parse(r, m.deep_)) return corrupt("bad deep part");
    if (!conv_network::parse(r, m.conv_)) return corrupt("bad convolutional part");
    if (r.left() != 0) return corrupt("size does not match its header");
    return m;
}

float linear_model::calibrated(attribute a, float logit, std::string_view lang) const {
    const head_calibration& c = calibration(a, lang);
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
            if (i + weight_prefetch_distance < n)
                __builtin_prefetch(&weights_[std::size_t{features.entries[i + weight_prefetch_distance].bucket} *
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
    deep_.add_logits(features, logits);
    conv_.add_logits(features, logits);
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
    head_logits share_unit{}, neighbour_unit{};
    bool neighbours = false;  // the shipped models carry 0 neighbour weights: skip the term
    for (std::size_t h = 0; h < attribute_count; ++h) {
        share_unit[h] = span_.head_weight[h] * unscale + (top[h] > 0 ? span_.relative_weight[h] / top[h] : 0.0f);
        neighbour_unit[h] = top[h] > 0 ? span_.neighbour_weight[h] / top[h] : 0.0f;
        neighbours = neighbours || neighbour_unit[h] != 0.0f;
    }
    out.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        float z = doc + static_cast<float>(acc[t][0]) * self_unit;
        if (t > 0) z += static_cast<float>(acc[t - 1][1]) * context_unit;
        if (t + 1 < n) z += static_cast<float>(acc[t + 1][1]) * context_unit;
        for (std::size_t h = 0; h < attribute_count; ++h) z += share_unit[h] * token_contrib[t][h];
        if (neighbours)
            for (std::size_t h = 0; h < attribute_count; ++h) {
                float beside = 0.0f;
                if (t > 0) beside += token_contrib[t - 1][h];
                if (t + 1 < n) beside += token_contrib[t + 1][h];
                z += neighbour_unit[h] * beside;
            }
        out[t] = sigmoid(z);
    }
}

}  // namespace tribune

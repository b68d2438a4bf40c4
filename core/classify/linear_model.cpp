#include "core/classify/linear_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

namespace tribune {
namespace {

constexpr char magic[8] = {'T', 'R', 'I', 'B', 'L', 'M', '0', '1'};
constexpr std::size_t header_u32s = 7;
constexpr std::size_t floats_per_head = 6;
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

}  // namespace

linear_model linear_model::quantize(const feature_config& config, const std::vector<float>& weights,
                                    const head_logits& bias) {
    linear_model m;
    m.config_ = config;
    m.bias_ = bias;
    m.weights_.resize(weights.size());
    for (std::size_t h = 0; h < attribute_count; ++h) {
        float max_abs = 0.0f;
        for (std::size_t i = h; i < weights.size(); i += attribute_count)
            max_abs = std::max(max_abs, std::fabs(weights[i]));
        const float scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
        m.weight_scale_[h] = scale;
        for (std::size_t i = h; i < weights.size(); i += attribute_count) {
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
    put<std::uint32_t>(out, config_.buckets);
    put<std::uint32_t>(out, config_.char_ngram_min);
    put<std::uint32_t>(out, config_.char_ngram_max);
    put<std::uint32_t>(out, config_.word_bigrams ? 1u : 0u);
    put<std::uint32_t>(out, config_.max_tokens);
    for (std::size_t h = 0; h < attribute_count; ++h) {
        put<float>(out, bias_[h]);
        put<float>(out, weight_scale_[h]);
        put<float>(out, thresholds_[h].decision);
        put<float>(out, thresholds_[h].review);
        put<float>(out, thresholds_[h].reject);
        put<float>(out, thresholds_[h].span);
    }
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

    const std::size_t fixed = sizeof magic + header_u32s * 4;
    if (in.size() < fixed + 8) return corrupt(path, "too short");
    if (std::memcmp(in.data(), magic, sizeof magic) != 0) return corrupt(path, "wrong magic");
    std::size_t pos = sizeof magic;
    const auto version = get<std::uint32_t>(in, pos);
    const auto heads = get<std::uint32_t>(in, pos);
    linear_model m;
    m.config_.buckets = get<std::uint32_t>(in, pos);
    m.config_.char_ngram_min = get<std::uint32_t>(in, pos);
    m.config_.char_ngram_max = get<std::uint32_t>(in, pos);
    m.config_.word_bigrams = get<std::uint32_t>(in, pos) != 0;
    m.config_.max_tokens = get<std::uint32_t>(in, pos);
    if (version != format_version) return corrupt(path, "unsupported version");
    if (heads != attribute_count) return corrupt(path, "wrong number of heads");
    const std::uint32_t b = m.config_.buckets;
    if (b == 0 || (b & (b - 1)) != 0 || b > (1u << 24)) return corrupt(path, "bad bucket count");
    if (m.config_.char_ngram_max > 16 || m.config_.char_ngram_min > m.config_.char_ngram_max ||
        m.config_.max_tokens == 0 || m.config_.max_tokens > 100000)
        return corrupt(path, "bad feature parameters");
    const std::uint64_t expected =
        fixed + attribute_count * floats_per_head * 4 + std::uint64_t{b} * attribute_count + 8;
    if (in.size() != expected) return corrupt(path, "size does not match its header");
    const std::uint64_t stored = [&] {
        std::size_t p = in.size() - 8;
        return get<std::uint64_t>(in, p);
    }();
    if (fnv64(in.data(), in.size() - 8) != stored) return corrupt(path, "checksum mismatch");
    for (std::size_t h = 0; h < attribute_count; ++h) {
        m.bias_[h] = get<float>(in, pos);
        m.weight_scale_[h] = get<float>(in, pos);
        m.thresholds_[h].decision = get<float>(in, pos);
        m.thresholds_[h].review = get<float>(in, pos);
        m.thresholds_[h].reject = get<float>(in, pos);
        m.thresholds_[h].span = get<float>(in, pos);
        if (!std::isfinite(m.bias_[h]) || !std::isfinite(m.weight_scale_[h]))
            return corrupt(path, "non-finite parameters");
    }
    m.weights_.resize(std::size_t{b} * attribute_count);
    std::memcpy(m.weights_.data(), in.data() + pos, m.weights_.size());
    return m;
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
                                             attribute_count]);
            const feature_entry& e = features.entries[i];
            const std::int8_t* row = &weights_[std::size_t{e.bucket} * attribute_count];
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
            const std::int8_t* row = &weights_[std::size_t{e.bucket} * attribute_count];
            for (std::size_t h = 0; h < attribute_count; ++h) total[h] += e.value * row[h];
        }
        for (std::size_t h = 0; h < attribute_count; ++h)
            total[h] *= features.scale * weight_scale_[h];
    }
    for (std::size_t h = 0; h < attribute_count; ++h) logits[h] = bias_[h] + total[h];
}

}  // namespace tribune

#include "core/classify/bag_network.hpp"

#include <algorithm>
#include <cmath>

namespace tribune {
namespace {

constexpr std::uint32_t max_dim = 64;
constexpr std::uint32_t max_hidden = 1024;
constexpr std::uint32_t max_buckets = 1u << 22;
constexpr std::size_t bag_prefetch_distance = 16;

}  // namespace

bag_network bag_network::quantize(std::uint32_t buckets, std::uint32_t dim, std::uint32_t hidden,
                                  const std::vector<float>& embedding, std::vector<float> w1,
                                  std::vector<float> b1, std::vector<float> w2) {
    bag_network n;
    n.buckets_ = buckets;
    n.dim_ = dim;
    n.hidden_ = hidden;
    n.scale_.assign(dim, 1.0f);
    n.table_ = model_file::quantize_columns(embedding, dim, n.scale_.data());
    n.w1_ = std::move(w1);
    n.b1_ = std::move(b1);
    n.w2_ = std::move(w2);
    return n;
}

namespace {

// acc[d] = sum over the entries of units * row[d], for a dimension known at compile time,
// in int16 lanes (eight per SSE2 register) flushed to int32 every 128 entries: |units *
// row[d]| <= 2 * 127, so 128 of them fit in an int16.
template <std::size_t D>
void accumulate(const std::vector<feature_entry>& entries, const std::int8_t* table, std::uint32_t mask,
                std::int32_t* acc) {
    constexpr std::size_t chunk = 128;
    for (std::size_t d = 0; d < D; ++d) acc[d] = 0;
    const std::size_t n = entries.size();
    for (std::size_t i = 0; i < n;) {
        std::int16_t part[D] = {};
        const std::size_t stop = std::min(n, i + chunk);
        for (; i < stop; ++i) {
            // Rows are scattered over a table larger than L2: fetch a few entries ahead.
            if (i + bag_prefetch_distance < n)
                __builtin_prefetch(table + std::size_t{entries[i + bag_prefetch_distance].bucket & mask} * D);
            const std::int8_t* row = table + std::size_t{entries[i].bucket & mask} * D;
            const auto units = static_cast<std::int16_t>(entries[i].value * 2.0f);  // values are k/2
            for (std::size_t d = 0; d < D; ++d) part[d] = static_cast<std::int16_t>(part[d] + units * row[d]);
        }
        for (std::size_t d = 0; d < D; ++d) acc[d] += part[d];
    }
}

}  // namespace

void bag_network::add_logits(const text_feature_set& features, logits& z) const {
    if (empty()) return;
    std::int32_t acc[max_dim];
    switch (dim_) {
        case 8: accumulate<8>(features.entries, table_.data(), buckets_ - 1, acc); break;
        case 16: accumulate<16>(features.entries, table_.data(), buckets_ - 1, acc); break;
        case 32: accumulate<32>(features.entries, table_.data(), buckets_ - 1, acc); break;
        default: {
            std::fill(acc, acc + dim_, 0);
            for (const feature_entry& e : features.entries) {
                const std::int8_t* row = &table_[std::size_t{e.bucket & (buckets_ - 1)} * dim_];
                const auto units = static_cast<std::int32_t>(e.value * 2.0f);
                for (std::size_t d = 0; d < dim_; ++d) acc[d] += units * row[d];
            }
        }
    }
    float u[max_dim];
    const float unit = 0.5f * features.scale;
    for (std::size_t d = 0; d < dim_; ++d) u[d] = static_cast<float>(acc[d]) * unit * scale_[d];
    for (std::size_t j = 0; j < hidden_; ++j) {
        float a = b1_[j];
        const float* w = &w1_[j * dim_];
        for (std::size_t d = 0; d < dim_; ++d) a += w[d] * u[d];
        if (a <= 0.0f) continue;
        for (std::size_t h = 0; h < attribute_count; ++h) z[h] += w2_[h * hidden_ + j] * a;
    }
}

void bag_network::serialize(std::string& out) const {
    model_file::put<std::uint32_t>(out, buckets_);
    model_file::put<std::uint32_t>(out, dim_);
    model_file::put<std::uint32_t>(out, hidden_);
    for (float v : scale_) model_file::put<float>(out, v);
    for (float v : w1_) model_file::put<float>(out, v);
    for (float v : b1_) model_file::put<float>(out, v);
    for (float v : w2_) model_file::put<float>(out, v);
    out.append(reinterpret_cast<const char*>(table_.data()), table_.size());
}

bool bag_network::parse(model_file::reader& in, bag_network& out) {
    out = bag_network();
    const auto buckets = in.get<std::uint32_t>();
    const auto dim = in.get<std::uint32_t>();
    const auto hidden = in.get<std::uint32_t>();
    if (in.failed()) return false;
    if (buckets == 0) return dim == 0 && hidden == 0;
    if ((buckets & (buckets - 1)) != 0 || buckets > max_buckets || dim == 0 || dim > max_dim || hidden == 0 ||
        hidden > max_hidden)
        return false;
    const std::uint64_t floats = dim + std::uint64_t{hidden} * dim + hidden + std::uint64_t{attribute_count} * hidden;
    if (in.left() < floats * 4 + std::uint64_t{buckets} * dim) return false;
    out.buckets_ = buckets;
    out.dim_ = dim;
    out.hidden_ = hidden;
    auto read = [&](std::vector<float>& v, std::size_t n) {
        v.resize(n);
        for (float& x : v) x = in.read_float();
    };
    read(out.scale_, dim);
    read(out.w1_, std::size_t{hidden} * dim);
    read(out.b1_, hidden);
    read(out.w2_, std::size_t{attribute_count} * hidden);
    out.table_ = in.table(std::size_t{buckets} * dim);
    return !in.failed() && in.finite();
}

}  // namespace tribune

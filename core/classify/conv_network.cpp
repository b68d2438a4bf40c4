#include "core/classify/conv_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tribune {
namespace {

constexpr std::uint32_t conv_max_dim = 64;
constexpr std::uint32_t conv_max_filters = 512;
constexpr std::uint32_t conv_max_width = 7;
constexpr std::uint32_t conv_max_tokens_limit = 4096;
constexpr std::uint32_t conv_max_buckets = 1u << 22;

// The kernels below are compiled twice, for the baseline x86-64 and for AVX2, and pick one at
// run time. Both do the same operations in the same order per lane (no FMA), so both give the
// same results.
bool cpu_has_avx2() {
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}

// acc[p][f] += W[f][k] . v[t] for every filter f, token t and offset k with p = t - k + half
// inside [0, positions): the filter weights are laid out [k][d][f] (wt) so the innermost
// loop runs over the filters, contiguous, and vectorises without a horizontal sum. F is the
// filter count when known at compile time (the loop then unrolls), 0 for `filters`.
template <std::size_t F>
[[gnu::always_inline]] inline void convolve_kernel(const float* __restrict v, std::size_t n, std::size_t dim,
                                                   std::size_t width, std::size_t positions, std::size_t filters,
                                                   const float* __restrict wt, float* __restrict acc) {
    const std::size_t nf = F != 0 ? F : filters;
    const auto half = static_cast<std::ptrdiff_t>(width / 2);
    for (std::size_t t = 0; t < n; ++t) {
        for (std::size_t k = 0; k < width; ++k) {
            const std::ptrdiff_t p = static_cast<std::ptrdiff_t>(t) - static_cast<std::ptrdiff_t>(k) + half;
            if (p < 0 || p >= static_cast<std::ptrdiff_t>(positions)) continue;
            float* __restrict a = acc + static_cast<std::size_t>(p) * nf;
            for (std::size_t d = 0; d < dim; ++d) {
                const float x = v[t * dim + d];
                const float* __restrict w = wt + (k * dim + d) * nf;
                for (std::size_t f = 0; f < nf; ++f) a[f] += x * w[f];
            }
        }
    }
}

// acc[token][d] += units * row[d] and mass[token] += units for every entry of the first `n`
// tokens, units = the entry's value in halves (1 or 2; values are k/2). Sums of small
// integers are exact in float, so every build gives the same sums. D is the dimension when
// known at compile time (a multiple of 16: sixteen lanes at a time, with vector extensions:
// four SSE or two AVX2 registers), 0 for `dim`, one value at a time.
constexpr std::size_t conv_prefetch_distance = 16;
using i8x16 = std::int8_t __attribute__((vector_size(16)));
using f32x16 = float __attribute__((vector_size(64)));

template <std::size_t D>
[[gnu::always_inline]] inline void gather_kernel(const feature_entry* entries, std::size_t count, std::size_t n,
                                                 std::size_t dim, const std::int8_t* table, std::uint32_t mask,
                                                 float* __restrict acc, float* __restrict mass) {
    static_assert(D % 16 == 0);
    const std::size_t nd = D != 0 ? D : dim;
    for (std::size_t i = 0; i < count; ++i) {
        // Rows are scattered over a table larger than L2: fetch a few entries ahead.
        if (i + conv_prefetch_distance < count)
            __builtin_prefetch(table + std::size_t{entries[i + conv_prefetch_distance].bucket & mask} * nd);
        const feature_entry& e = entries[i];
        if (e.token >= n) continue;
        const float units = e.value * 2.0f;
        const std::int8_t* row = table + std::size_t{e.bucket & mask} * nd;
        float* a = acc + std::size_t{e.token} * nd;
        if constexpr (D != 0) {
            for (std::size_t c = 0; c < D; c += 16) {
                i8x16 r;
                std::memcpy(&r, row + c, sizeof r);
                f32x16 x, sum;
                x = __builtin_convertvector(r, f32x16);
                std::memcpy(&sum, a + c, sizeof sum);
                sum += x * units;
                std::memcpy(a + c, &sum, sizeof sum);
            }
        } else {
            for (std::size_t d = 0; d < nd; ++d) a[d] += units * static_cast<float>(row[d]);
        }
        mass[e.token] += units;
    }
}

template <std::size_t D>
[[gnu::target("avx2")]] void gather_avx2(const feature_entry* entries, std::size_t count, std::size_t n,
                                         std::size_t dim, const std::int8_t* table, std::uint32_t mask, float* acc,
                                         float* mass) {
    gather_kernel<D>(entries, count, n, dim, table, mask, acc, mass);
}

template <std::size_t D>
void gather_rows(const std::vector<feature_entry>& entries, std::size_t n, std::size_t dim, const std::int8_t* table,
                 std::uint32_t mask, float* acc, float* mass) {
    if (cpu_has_avx2()) return gather_avx2<D>(entries.data(), entries.size(), n, dim, table, mask, acc, mass);
    gather_kernel<D>(entries.data(), entries.size(), n, dim, table, mask, acc, mass);
}

void gather_any(const std::vector<feature_entry>& entries, std::size_t n, std::size_t dim, const std::int8_t* table,
                std::uint32_t mask, float* acc, float* mass) {
    switch (dim) {
        case 16: return gather_rows<16>(entries, n, dim, table, mask, acc, mass);
        case 32: return gather_rows<32>(entries, n, dim, table, mask, acc, mass);
        case 48: return gather_rows<48>(entries, n, dim, table, mask, acc, mass);
        case 64: return gather_rows<64>(entries, n, dim, table, mask, acc, mass);
        default: return gather_rows<0>(entries, n, dim, table, mask, acc, mass);
    }
}

template <std::size_t F>
[[gnu::target("avx2")]] void convolve_avx2(const float* v, std::size_t n, std::size_t dim, std::size_t width,
                                           std::size_t positions, std::size_t filters, const float* wt, float* acc) {
    convolve_kernel<F>(v, n, dim, width, positions, filters, wt, acc);
}

template <std::size_t F>
void convolve(const float* v, std::size_t n, std::size_t dim, std::size_t width, std::size_t positions,
              std::size_t filters, const float* wt, float* acc) {
    if (cpu_has_avx2()) return convolve_avx2<F>(v, n, dim, width, positions, filters, wt, acc);
    convolve_kernel<F>(v, n, dim, width, positions, filters, wt, acc);
}

void convolve_any(const float* v, std::size_t n, std::size_t dim, std::size_t width, std::size_t positions,
                  std::size_t filters, const float* wt, float* acc) {
    switch (filters) {
        case 32: return convolve<32>(v, n, dim, width, positions, filters, wt, acc);
        case 64: return convolve<64>(v, n, dim, width, positions, filters, wt, acc);
        case 96: return convolve<96>(v, n, dim, width, positions, filters, wt, acc);
        case 128: return convolve<128>(v, n, dim, width, positions, filters, wt, acc);
        default: return convolve<0>(v, n, dim, width, positions, filters, wt, acc);
    }
}

}  // namespace

conv_network conv_network::quantize(const shape& s, const std::vector<float>& embedding, std::vector<float> w,
                                    std::vector<float> b, std::vector<float> u, const logits& c) {
    conv_network n;
    n.shape_ = s;
    n.scale_.assign(s.dim, 1.0f);
    n.table_ = model_file::quantize_columns(embedding, s.dim, n.scale_.data());
    n.w_ = std::move(w);
    n.b_ = std::move(b);
    n.u_ = std::move(u);
    n.c_ = c;
    n.transpose();
    return n;
}

void conv_network::transpose() {
    const std::size_t dim = shape_.dim, filters = shape_.filters, width = shape_.width;
    wt_.assign(w_.size(), 0.0f);
    for (std::size_t f = 0; f < filters; ++f)
        for (std::size_t k = 0; k < width; ++k)
            for (std::size_t d = 0; d < dim; ++d) wt_[(k * dim + d) * filters + f] = w_[(f * width + k) * dim + d];
}

void conv_network::add_logits(const text_feature_set& features, logits& z) const {
    if (empty()) return;
    const std::size_t dim = shape_.dim, filters = shape_.filters, width = shape_.width;
    const std::size_t n = std::min<std::size_t>(features.tokens.size(), shape_.max_tokens);
    // v: each token's vector, summed over its entries' rows, then made their mean (a token
    // with no entries keeps zeros).
    thread_local std::vector<float> v, mass;  // mass: the token's entry values, in halves
    thread_local std::vector<float> pool;
    v.assign(std::max<std::size_t>(n, 1) * dim, 0.0f);
    mass.assign(std::max<std::size_t>(n, 1), 0.0f);
    gather_any(features.entries, n, dim, table_.data(), shape_.buckets - 1, v.data(), mass.data());
    for (std::size_t t = 0; t < n; ++t) {
        if (mass[t] <= 0) continue;
        const float inv = 1.0f / mass[t];
        for (std::size_t d = 0; d < dim; ++d) v[t * dim + d] = v[t * dim + d] * inv * scale_[d];
    }
    // Every position starts at its filter's bias; tokens outside the text add nothing.
    const std::size_t positions = std::max<std::size_t>(n, 1);
    thread_local std::vector<float> act;
    act.resize(positions * filters);
    for (std::size_t p = 0; p < positions; ++p) std::copy(b_.begin(), b_.end(), act.begin() + static_cast<std::ptrdiff_t>(p * filters));
    convolve_any(v.data(), n, dim, width, positions, filters, wt_.data(), act.data());
    pool.assign(filters, 0.0f);  // max(0, max over positions)
    for (std::size_t p = 0; p < positions; ++p)
        for (std::size_t f = 0; f < filters; ++f) pool[f] = std::max(pool[f], act[p * filters + f]);
    for (std::size_t h = 0; h < attribute_count; ++h) {
        float s = c_[h];
        for (std::size_t f = 0; f < filters; ++f) s += u_[h * filters + f] * pool[f];
        z[h] += s;
    }
}

void conv_network::serialize(std::string& out) const {
    model_file::put<std::uint32_t>(out, shape_.buckets);
    model_file::put<std::uint32_t>(out, shape_.dim);
    model_file::put<std::uint32_t>(out, shape_.filters);
    model_file::put<std::uint32_t>(out, shape_.width);
    model_file::put<std::uint32_t>(out, shape_.max_tokens);
    if (empty()) return;
    for (float x : scale_) model_file::put<float>(out, x);
    for (float x : w_) model_file::put<float>(out, x);
    for (float x : b_) model_file::put<float>(out, x);
    for (float x : u_) model_file::put<float>(out, x);
    for (float x : c_) model_file::put<float>(out, x);
    out.append(reinterpret_cast<const char*>(table_.data()), table_.size());
}

bool conv_network::parse(model_file::reader& in, conv_network& out) {
    out = conv_network();
    shape s;
    s.buckets = in.get<std::uint32_t>();
    s.dim = in.get<std::uint32_t>();
    s.filters = in.get<std::uint32_t>();
    s.width = in.get<std::uint32_t>();
    s.max_tokens = in.get<std::uint32_t>();
    if (in.failed()) return false;
    if (s.buckets == 0) return s.dim == 0 && s.filters == 0 && s.width == 0 && s.max_tokens == 0;
    if ((s.buckets & (s.buckets - 1)) != 0 || s.buckets > conv_max_buckets || s.dim == 0 || s.dim > conv_max_dim ||
        s.filters == 0 || s.filters > conv_max_filters || s.width == 0 || s.width > conv_max_width || s.max_tokens == 0 ||
        s.max_tokens > conv_max_tokens_limit)
        return false;
    const std::uint64_t floats = s.dim + std::uint64_t{s.filters} * s.width * s.dim + s.filters +
                                 std::uint64_t{attribute_count} * s.filters + attribute_count;
    if (in.left() < floats * 4 + std::uint64_t{s.buckets} * s.dim) return false;
    out.shape_ = s;
    auto read = [&](std::vector<float>& v, std::size_t count) {
        v.resize(count);
        for (float& x : v) x = in.read_float();
    };
    read(out.scale_, s.dim);
    read(out.w_, std::size_t{s.filters} * s.width * s.dim);
    read(out.b_, s.filters);
    read(out.u_, std::size_t{attribute_count} * s.filters);
    for (float& x : out.c_) x = in.read_float();
    out.table_ = in.table(std::size_t{s.buckets} * s.dim);
    if (in.failed() || !in.finite()) return false;
    out.transpose();
    return true;
}

}  // namespace tribune

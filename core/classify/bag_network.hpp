#pragma once
// bag_network: the "deep" part of Tribune's toxicity model, added to the linear heads'
// logits (wide & deep). An embedding bag over the same hashed features as the linear
// heads (a deep averaging network, Iyyer et al. 2015): each feature bucket, folded into
// `buckets` rows, has a `dim`-vector; the text's vector u is their sum, times each entry's
// value and the document scale (as the linear heads see the input); then
//
//   hidden = relu(W1 u + b1)        (hidden x dim)
//   logit[h] += W2[h] . hidden      (one row per attribute)
//
// It lets the model weigh combinations (a group word AND a hostile predicate) that a
// linear head can only add up. Its share of a logit belongs to no token: the span
// decomposition of linear_model covers the linear part only.
//
// Embeddings are int8 with one float scale per dimension; W1, b1 and W2 are floats.
// Serialised inside the model file (linear_model.hpp); buckets == 0 means "no deep part".
//
// Thread safety: immutable after construction; add_logits() is const and thread-safe
// (its scratch buffer is thread_local).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/classify/model_file.hpp"
#include "core/classify/text_features.hpp"
#include "core/domain/attribute.hpp"

namespace tribune {

class bag_network {
public:
    using logits = std::array<float, attribute_count>;

    bag_network() = default;  // empty: adds nothing

    // From float parameters: embedding rows (buckets x dim), W1 (hidden x dim, row-major),
    // b1 (hidden), W2 (attribute_count x hidden). REQUIRES: buckets is a power of two.
    static bag_network quantize(std::uint32_t buckets, std::uint32_t dim, std::uint32_t hidden,
                                const std::vector<float>& embedding, std::vector<float> w1,
                                std::vector<float> b1, std::vector<float> w2);

    bool empty() const { return buckets_ == 0; }
    std::uint32_t buckets() const { return buckets_; }
    std::uint32_t dim() const { return dim_; }
    std::uint32_t hidden() const { return hidden_; }

    // Adds the network's output to `z`. No-op when empty().
    void add_logits(const text_feature_set& features, logits& z) const;

    // Appends the serialised network to `out`.
    void serialize(std::string& out) const;
    // Reads what serialize() wrote. Returns false on a malformed section (sizes out of
    // range, a read past the end, non-finite parameters).
    static bool parse(model_file::reader& in, bag_network& out);

private:
    std::uint32_t buckets_ = 0, dim_ = 0, hidden_ = 0;
    std::vector<float> scale_;       // per dimension
    byte_table table_;  // buckets x dim
    std::vector<float> w1_, b1_, w2_;
};

}  // namespace tribune

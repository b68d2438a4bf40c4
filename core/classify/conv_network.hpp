#pragma once
// conv_network: the convolutional part of Tribune's toxicity model, added to the linear
// heads' logits. Each of the text's first `max_tokens` tokens gets a vector: the mean of
// the embedding rows of the token's own feature entries (its word, character n-grams, scope
// and group features: text_features.hpp), weighted by the entries' values, so a misspelt or
// obfuscated word shares most of its rows with the word. Then (Kim 2014, without
// pretrained vectors)
//
//   a[f][p]  = b[f] + sum over k < width of W[f][k] . v[p + k - width/2]   (zero outside)
//   pool[f]  = max(0, max over positions p of a[f][p])
//   logit[h] += U[h] . pool + c[h]
//
// The trainer (tools/train/conv_trainer.hpp) folds the blend weight it fits per head into U
// and c. Word order within the window is what the linear heads cannot see ("not a" next to
// an insult, a slur split over tokens). Like the deep part, its share of a logit belongs to
// no token: the span decomposition of linear_model covers the linear part only.
//
// Embeddings are int8 with one float scale per dimension; W, b, U and c are floats.
// Serialised inside the model file (linear_model.hpp); buckets == 0 means "no conv part".
//
// Thread safety: immutable after construction; add_logits() is const and thread-safe
// (its scratch buffers are thread_local).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/classify/model_file.hpp"
#include "core/classify/text_features.hpp"
#include "core/domain/attribute.hpp"

namespace tribune {

class conv_network {
public:
    using logits = std::array<float, attribute_count>;

    struct shape {
        std::uint32_t buckets = 0;  // power of two; 0: empty
        std::uint32_t dim = 0;
        std::uint32_t filters = 0;
        std::uint32_t width = 0;
        std::uint32_t max_tokens = 0;
    };

    conv_network() = default;  // empty: adds nothing

    // From float parameters: embedding rows (buckets x dim), W (filters x width x dim),
    // b (filters), U (attribute_count x filters), c (attribute_count).
    // REQUIRES: s.buckets is a power of two and the sizes match s.
    static conv_network quantize(const shape& s, const std::vector<float>& embedding, std::vector<float> w,
                                 std::vector<float> b, std::vector<float> u, const logits& c);

    bool empty() const { return shape_.buckets == 0; }
    const shape& dims() const { return shape_; }

    // Adds the network's output to `z`. No-op when empty().
    void add_logits(const text_feature_set& features, logits& z) const;

    void serialize(std::string& out) const;
    // Reads what serialize() wrote. Returns false on a malformed section (sizes out of
    // range, a read past the end, non-finite parameters).
    static bool parse(model_file::reader& in, conv_network& out);

private:
    void transpose();  // fills wt_ from w_

    shape shape_;
    std::vector<float> scale_;        // per dimension
    byte_table table_;  // buckets x dim
    std::vector<float> w_, b_, u_;
    std::vector<float> wt_;  // W laid out [k][d][f] for add_logits
    logits c_{};
};

}  // namespace tribune

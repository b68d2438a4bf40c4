#pragma once
// text_features: splits NORMALISED text into tokens and hashes each token into the
// sparse features of Tribune's linear toxicity model (word unigrams, word bigrams and
// character 3..5-grams of each word, fastText-style "<word>" boundaries), and optionally:
//  - scope features: a word inside a negation scope ("not", "never", "n't", "ne", "pas",
//    "jamais", "stop"... up to the next clause punctuation or "but"/"mais", at most
//    `scope_max_tokens` words) also enters as "negated word" and as the one shared feature
//    "a word is negated"; a word between double quotes
//    also enters as "quoted word". So "you are not an idiot" and "calling them \"vermin\""
//    differ from "you are an idiot" and "they are vermin" in features a linear head can weigh;
//  - group context: a word within `group_window` words of a word naming a group of people
//    ("muslims", "women", "immigres"...) also enters as "word near a group" (or "negated word
//    near a group" inside a negation scope), so a linear head can weigh "terrorists" near
//    "Muslims" apart from the group word alone and from "terrorists" alone (the identity-term
//    bias: "Muslims" alone should not push identity_attack);
//  - joined pairs: two adjacent words separated by spaces only, one of them at most three
//    code points, also enter as the word they would make together ("con nard" -> "connard"),
//    half to each token (obfuscation by an inserted space).
//
// Every feature entry belongs to exactly one token, so a linear model's pre-sigmoid
// score decomposes exactly into per-token contributions (a bigram is entered twice,
// half for each of its two tokens). The trainer and the classifier share this code, so
// features at training and at serving time are identical by construction.
//
// Thread safety: feature_extractor is immutable after construction; extract() is const
// and may be called from several threads at once with distinct output objects.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tribune {

// A token of the normalised text: code point range [start, end) and byte range.
struct text_token {
    std::size_t start = 0;       // code point offset in the normalised text
    std::size_t end = 0;         // one past the last code point
    std::size_t byte_begin = 0;  // byte offset in the normalised text
    std::size_t byte_end = 0;
};

// One hashed feature occurrence: the weight row `bucket`, owned by token `token`,
// entering the sum with `value` (before document scaling). Values are multiples of 1/2
// (1 for a unigram or n-gram, 1/2 for each half of a bigram); linear_model relies on it.
struct feature_entry {
    std::uint32_t bucket = 0;
    std::uint32_t token = 0;
    float value = 1.0f;
};

struct text_feature_set {
    std::vector<text_token> tokens;
    std::vector<feature_entry> entries;
    // Multiply every entry's value by this to get the model input
    // (1/sqrt(max(sum of values^2, config.min_norm_sq)).
    float scale = 0.0f;

    void clear() {
        tokens.clear();
        entries.clear();
        scale = 0.0f;
    }
};

struct feature_config {
    std::uint32_t buckets = 1u << 19;  // power of two
    std::uint32_t char_ngram_min = 3;
    std::uint32_t char_ngram_max = 5;
    bool word_bigrams = true;
    std::uint32_t max_tokens = 512;  // longer texts are scored on their first tokens
    bool scope_features = false;     // negated and quoted words (see the top of this file)
    bool joined_pairs = false;       // words split by a space, joined (see the top of this file)
    bool group_context = false;      // words near a group word (see the top of this file)
    // The squared norm the input is scaled by is at least this: a text of a word or two is
    // not blown up to the weight of a sentence (its few hashed features are mostly noise).
    std::uint32_t min_norm_sq = 0;
};

// How many words after a negation cue its scope covers at most.
inline constexpr std::size_t scope_max_tokens = 6;

// How many words before and after a group word are in its context.
inline constexpr std::size_t group_window = 4;

// True when the normalised word names a group of people (the list in text_features.cpp).
bool is_group_word(std::string_view normalized_word);

class feature_extractor {
public:
    explicit feature_extractor(feature_config config);

    const feature_config& config() const { return config_; }

    // REQUIRES: `normalized` is valid UTF-8 (the output of tribune::normalize).
    // Clears and fills `out`.
    void extract(std::string_view normalized, text_feature_set& out) const;

    // Tokens only (no hashing); used by the language detector and tests.
    static void tokenize(std::string_view normalized, std::vector<text_token>& out,
                         std::size_t max_tokens);

private:
    // Appends the group-context entries of the tokens (their word hashes and negation
    // flags); returns the sum of their squared values.
    double add_group_context(const std::vector<std::uint32_t>& token_hash,
                             const std::vector<std::uint8_t>& token_negated,
                             std::vector<feature_entry>& entries) const;

    feature_config config_;
    std::uint32_t mask_;
};

}  // namespace tribune

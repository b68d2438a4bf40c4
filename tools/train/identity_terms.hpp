#pragma once
// identity_terms: the normalised words of a text that name a group of people (the feature
// extractor's list, core/classify/text_features.hpp is_group_word), used by the trainer's
// identity-term balancing (head_trainer::set_identity_balance, in the spirit of Dixon et
// al. 2018). Header-only.

#include <string>
#include <string_view>
#include <vector>

#include "core/classify/text_features.hpp"

namespace tribune::train {

// The distinct group words of a normalised text, in order of first appearance.
inline std::vector<std::string> identity_words_in(std::string_view normalized) {
    std::vector<text_token> toks;
    feature_extractor::tokenize(normalized, toks, 512);
    std::vector<std::string> out;
    for (const text_token& t : toks) {
        const std::string_view w = normalized.substr(t.byte_begin, t.byte_end - t.byte_begin);
        if (!is_group_word(w)) continue;
        bool seen = false;
        for (const std::string& o : out) seen = seen || o == w;
        if (!seen) out.emplace_back(w);
    }
    return out;
}

}  // namespace tribune::train

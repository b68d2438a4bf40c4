#pragma once
// language_detector: tells English from French in short social text by counting
// function words (stopwords) of each language among the words of the NORMALISED text
// (lower case, accents folded). Honest and simple: it answers "und" when neither
// language has a clear lead, e.g. for a text of slurs or emoji only, or another language.
//
// Thread safety: stateless; detect() is safe from any thread.

#include <string_view>
#include <vector>

#include "core/classify/text_features.hpp"

namespace tribune {

class language_detector {
public:
    // Returns "en", "fr" or "und". `tokens` are tokens of `normalized` as produced by
    // feature_extractor::tokenize.
    static std::string_view detect(std::string_view normalized, const std::vector<text_token>& tokens);
};

}  // namespace tribune

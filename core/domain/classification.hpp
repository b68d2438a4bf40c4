#pragma once
// What a classifier says about one text.

#include <cstddef>
#include <string>
#include <vector>

#include "core/domain/attribute.hpp"

namespace tribune {

// A highlighted part of the text. Offsets count Unicode code points of the text as the
// client sent it: [start, end). `rule` is empty for model explanations and names the
// word-list rule ("banned:foo", "suspect:bar") for word-list matches.
struct span {
    std::size_t start = 0;
    std::size_t end = 0;
    attribute attr = attribute::toxicity;
    float weight = 0.0f;
    std::string rule;
};

struct classification {
    scores values;
    std::string lang;  // ISO 639-1 code, "en", "fr"; "und" when unknown
    std::vector<span> spans;
};

}  // namespace tribune

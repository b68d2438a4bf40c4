#include "core/classify/question_features.hpp"

#include <algorithm>
#include <cmath>

#include "core/classify/text_features.hpp"
#include "core/util/hash32.hpp"

namespace tribune {
namespace {

// A feature of kind `kind` over one or two words.
std::uint32_t feature(char kind, std::string_view a, std::string_view b = {}) {
    std::uint32_t h = fnv32(fnv32_offset, static_cast<unsigned char>(kind));
    h = fnv32(h, a);
    if (!b.empty()) h = fnv32(fnv32(h, 0x1fu), b);
    return mix32(h);
}

bool ends_sentence_in_gap(std::string_view gap) {
    return gap.find_first_of(".;:") != std::string_view::npos;
}

std::string_view length_bucket(std::size_t words) {
    return words <= 1 ? "1" : words <= 2 ? "2" : words <= 5 ? "5" : words <= 10 ? "10" : words <= 20 ? "20" : "more";
}

}  // namespace

void question_features::extract(std::string_view s, question_feature_set& out) const {
    out.buckets.clear();
    thread_local std::vector<text_token> tokens;
    feature_extractor::tokenize(s, tokens, 512);
    auto word = [&](std::size_t t) { return s.substr(tokens[t].byte_begin, tokens[t].byte_end - tokens[t].byte_begin); };
    auto add = [&](std::uint32_t h) { out.buckets.push_back(h & mask_); };

    std::size_t questions = 0, words = 0;
    std::size_t sentence_start = 0;    // the token that opens the next sentence
    std::size_t last_sentence = 0;     // the first word of the last sentence
    std::size_t questions_before = 0;  // '?' before the last sentence
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const std::string_view w = word(t);
        const bool mark = w == "?" || w == "!";
        add(feature('u', w));
        if (t > 0) add(feature('b', word(t - 1), w));
        if (mark) {
            questions += w == "?";
            sentence_start = t + 1;  // a sentence ends at '?' or '!' and never opens with one
            continue;
        }
        ++words;
        if (t == sentence_start) {
            last_sentence = t;
            questions_before = questions;
            add(feature('s', w));
            if (t + 1 < tokens.size()) add(feature('S', w, word(t + 1)));
        }
        if (t + 1 < tokens.size() &&
            ends_sentence_in_gap(s.substr(tokens[t].byte_end, tokens[t + 1].byte_begin - tokens[t].byte_end)))
            sentence_start = t + 1;
    }
    if (!tokens.empty()) {
        const std::size_t n = tokens.size();
        const bool ends_with_mark = word(n - 1) == "?" || (n > 1 && word(n - 1) == "!" && word(n - 2) == "?");
        add(feature('l', word(last_sentence)));
        add(feature('m', word(last_sentence), ends_with_mark ? "?" : "."));
        if (last_sentence + 1 < n) add(feature('L', word(last_sentence), word(last_sentence + 1)));
        add(feature('e', word(n - 1)));
        if (n > 1) add(feature('E', word(n - 2), word(n - 1)));
    }
    const char count[2] = {static_cast<char>('0' + std::min<std::size_t>(questions, 3)), '\0'};
    add(feature('q', count));
    if (questions_before > 0) add(feature('p', "?"));
    // Where the marks stand: at the end, only before the last sentence, or nowhere.
    const bool at_end = !tokens.empty() && (word(tokens.size() - 1) == "?" ||
                                            (tokens.size() > 1 && word(tokens.size() - 2) == "?"));
    add(feature('z', at_end ? "end" : questions > 0 ? "inside" : "none"));
    add(feature('n', length_bucket(words)));
    const double n = static_cast<double>(std::max<std::size_t>(out.buckets.size(), min_norm_sq));
    out.scale = static_cast<float>(1.0 / std::sqrt(n));
}

}  // namespace tribune

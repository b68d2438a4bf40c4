#include "core/classify/placeholder_classifier.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tribune {
namespace {

struct listed_word {
    std::string_view word;
    attribute attr;
    float score;  // also raises toxicity to at least this
};

// Lower-case ASCII words. Scores chosen so the default triage thresholds give:
// "kill" -> auto_rejected (threat 0.95), insults -> pending, "damn" -> approved-ish.
constexpr std::array<listed_word, 12> placeholder_words = {{
    {"idiot", attribute::insult, 0.80f},
    {"idiots", attribute::insult, 0.80f},
    {"stupid", attribute::insult, 0.70f},
    {"moron", attribute::insult, 0.85f},
    {"morons", attribute::insult, 0.85f},
    {"fuck", attribute::profanity, 0.90f},
    {"shit", attribute::profanity, 0.80f},
    {"damn", attribute::profanity, 0.30f},
    {"kill", attribute::threat, 0.95f},
    {"vermin", attribute::identity_attack, 0.90f},
    {"hate", attribute::toxicity, 0.60f},
    {"scum", attribute::insult, 0.90f},
}};

}  // namespace

result<classification> placeholder_classifier::classify(std::string_view text) const {
    classification out;
    out.lang = "und";
    // Offsets here are bytes; for the ASCII words in the list they equal code point offsets
    // only when everything before them is ASCII, so count code points as we go.
    std::size_t i = 0;
    std::size_t cp = 0;
    while (i < text.size()) {
        auto is_word = [](unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; };
        if (!is_word(static_cast<unsigned char>(text[i]))) {
            ++i;
            ++cp;
            continue;
        }
        std::size_t j = i;
        std::size_t cp_start = cp;
        std::string word;
        while (j < text.size() && is_word(static_cast<unsigned char>(text[j]))) {
            unsigned char c = static_cast<unsigned char>(text[j]);
            if ((c & 0xC0) != 0x80) ++cp;
            word.push_back(static_cast<char>(std::tolower(c)));
            ++j;
        }
        for (const auto& w : placeholder_words) {
            if (w.word != word) continue;
            out.values[w.attr] = std::max(out.values[w.attr], w.score);
            out.values[attribute::toxicity] = std::max(out.values[attribute::toxicity], w.score);
            out.spans.push_back(span{cp_start, cp, w.attr, w.score, {}});
        }
        i = j;
    }
    return out;
}

}  // namespace tribune

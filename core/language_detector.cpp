#include "core/language_detector.hpp"

#include <algorithm>
#include <array>

namespace tribune {
namespace {

// Sorted lists of frequent function words, after normalisation (no accents). Words
// common to both languages ("a", "on", "est"...) are left out of the one where they are rarer.
constexpr std::array<std::string_view, 84> english = {
    "about", "after", "all",   "am",    "an",    "and",   "any",   "are",   "as",    "at",
    "be",    "been",  "being", "but",   "by",    "can",   "could", "did",   "do",    "does",
    "doesn", "don",   "for",   "from",  "had",   "has",   "have",  "he",    "her",   "him",
    "his",   "how",   "i",     "if",    "in",    "is",    "it",    "its",   "just",  "like",
    "me",    "my",    "no",    "not",   "of",    "off",   "or",    "our",   "out",   "she",
    "should", "so",   "some",  "than",  "that",  "the",   "their", "them",  "then",  "there",
    "these", "they",  "this",  "those", "to",    "up",    "was",   "we",    "were",  "what",
    "when",  "where", "which", "who",   "why",   "will",  "with",  "would", "you",   "your",
    "youre", "it's",  "im",    "isn"};

constexpr std::array<std::string_view, 80> french = {
    "agit",  "ai",    "aller", "alors", "au",    "aussi", "aux",   "avec",  "avez",  "avoir",
    "bah",   "bien",  "c",     "ca",    "ce",    "ces",   "cest",  "cette", "comme", "d",
    "dans",  "de",    "des",   "donc",  "du",    "elle",  "elles", "en",    "encore", "es",
    "est",   "et",    "etait", "etre",  "eux",   "fait",  "faut",  "ici",   "il",    "ils",
    "j",     "je",    "l",     "la",    "le",    "les",   "leur",  "lui",   "m",     "mais",
    "me",    "mes",   "moi",   "mon",   "n",     "ne",    "nous",  "ont",   "ou",    "par",
    "pas",   "plus",  "pour",  "pourquoi", "qu",  "que",   "quel",  "qui",   "quoi",  "sa",
    "se",    "ses",   "son",   "sont",  "sur",   "ta",    "toi",   "tout",  "tu",    "vous"};

bool contains(const auto& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

}  // namespace

std::string_view language_detector::detect(std::string_view normalized,
                                           const std::vector<text_token>& tokens) {
    int en = 0;
    int fr = 0;
    for (const text_token& t : tokens) {
        const std::string_view w = normalized.substr(t.byte_begin, t.byte_end - t.byte_begin);
        if (w.size() > 8) continue;
        // "me" is in both lists: it counts for neither.
        const bool e = contains(english, w);
        const bool f = contains(french, w);
        if (e && !f) ++en;
        if (f && !e) ++fr;
    }
    if (en == 0 && fr == 0) return "und";
    if (en > fr) return "en";
    if (fr > en) return "fr";
    return "und";
}

}  // namespace tribune

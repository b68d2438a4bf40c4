#include "core/classify/language_detector.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/classify/packed_word_set.hpp"

namespace tribune {
namespace {

// Sorted lists of frequent function words, after normalisation (no accents). Words
// common to both languages ("a", "on", "est"...) are left out of the one where they are rarer.
constexpr std::array<std::string_view, 92> english = {
    "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "being", "but", "by", "can", "could", "did", "do", "does", "doesn", "don", "for",
    "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "im", "in",
    "into", "is", "isn", "it", "its", "just", "like", "may", "me", "my", "no", "not",
    "of", "off", "or", "our", "out", "please", "shall", "she", "should", "so", "some", "than",
    "thank", "thanks", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "to", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "who", "whose", "why", "will", "with", "would", "you", "your", "youre"};

constexpr std::array<std::string_view, 102> french = {
    "agit", "ai", "aller", "alors", "apres", "au", "aussi", "aux", "avec", "avez", "avoir",
    "avons", "bah", "bien", "c", "ca", "ce", "cela", "ces", "cest", "cette", "chez", "combien",
    "comme", "comment", "d", "dans", "de", "des", "donc", "du", "elle", "elles", "en",
    "encore", "est", "et", "etait", "etes", "etre", "eux", "fait", "faut", "ici", "il", "ils",
    "j", "je", "l", "la", "le", "les", "leur", "lui", "m", "mais", "me", "merci", "mes", "moi",
    "mon", "n", "ne", "nos", "notre", "nous", "ont", "ou", "par", "pas", "peut", "plus",
    "pour", "pourquoi", "pouvez", "qu", "que", "quel", "quelle", "quelles", "quels", "qui",
    "quoi", "sa", "se", "sera", "seront", "ses", "sommes", "son", "sont", "suis", "sur", "ta",
    "te", "toi", "tout", "tres", "tu", "vos", "votre", "vous"};

static_assert(std::is_sorted(english.begin(), english.end()));
static_assert(std::is_sorted(french.begin(), french.end()));

constexpr packed_word_set english_keys(english);
constexpr packed_word_set french_keys(french);

}  // namespace

std::string_view language_detector::detect(std::string_view normalized,
                                           const std::vector<text_token>& tokens) {
    int en = 0;
    int fr = 0;
    for (const text_token& t : tokens) {
        const std::string_view w = normalized.substr(t.byte_begin, t.byte_end - t.byte_begin);
        if (w.size() > 8) continue;
        const std::uint64_t k = packed_word(w);
        // "me" is in both lists: it counts for neither.
        const bool e = english_keys.contains_key(k);
        const bool f = french_keys.contains_key(k);
        if (e && !f) ++en;
        if (f && !e) ++fr;
    }
    // One function word decides only in a short text; longer texts need two.
    const int needed = tokens.size() <= 4 ? 1 : 2;
    if (en > fr && en >= needed) return "en";
    if (fr > en && fr >= needed) return "fr";
    return "und";
}

}  // namespace tribune

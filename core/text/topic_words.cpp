#include "core/text/topic_words.hpp"

#include <algorithm>
#include <array>

#include "core/domain/question_filter.hpp"

namespace tribune {
namespace {

constexpr std::size_t min_letters = 4;

// Sorted, normalised; only words of four letters or more need to be here.
constexpr std::array<std::string_view, 136> function_words = {
    "about", "after", "again", "agit", "alors", "also", "apres", "aren", "aussi", "autre",
    "avant", "avec", "avez", "avoir", "avons", "because", "been", "before", "being", "bien",
    "cela", "cest", "cette", "chez", "combien", "comme", "comment", "could", "dans", "depuis",
    "does", "doesn", "donc", "elle", "elles", "encore", "etait", "etes", "etre", "even", "ever",
    "faire", "fait", "faut", "from", "going", "have", "here", "into", "just", "know", "leur",
    "leurs", "like", "mais", "make", "many", "merci", "more", "most", "much", "must", "next",
    "notre", "nous", "only", "other", "ourselves", "over", "peut", "please", "plus", "pour",
    "pourquoi", "pouvez", "quand", "quel", "quelle", "quelles", "quels", "really", "said",
    "same", "sans", "selon", "sera", "seront", "should", "some", "sommes", "sont", "sous",
    "still", "such", "take", "than", "thank", "thanks", "that", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "toujours", "tous", "tout",
    "tres", "vers", "very", "voir", "votre", "vous", "want", "well", "were", "what", "when",
    "where", "which", "while", "whose", "will", "with", "without", "would", "year", "years",
    "your", "youre", "yours"};

static_assert(std::is_sorted(function_words.begin(), function_words.end()));

bool is_function_word(std::string_view w) {
    return std::binary_search(function_words.begin(), function_words.end(), w);
}

// Letters counted as code points: a byte that does not continue a UTF-8 sequence.
std::size_t letters(std::string_view w) {
    return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool is_number(std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<std::string> topic_words(std::string_view text) {
    std::vector<std::string> out;
    for (std::string& w : search_terms(std::string(text))) {
        if (!w.empty() && w.back() == '*') w.pop_back();
        if (letters(w) < min_letters || is_number(w) || is_function_word(w)) continue;
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
    }
    return out;
}

}  // namespace tribune

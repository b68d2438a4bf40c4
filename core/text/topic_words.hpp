#pragma once
// topic_words: the words of a question that can name its topic — its distinct normalised
// words (case, accents and l33t folded, as search matches them) of at least four letters,
// without the function words of English and French ("what", "about", "pourquoi"...) and
// without numbers. The executives' page offers the most frequent ones as filters
// (ranking_service), and a topic word searched (question_filter::search) finds the questions
// it came from.
//
// Thread safety: a pure function.

#include <string>
#include <string_view>
#include <vector>

namespace tribune {

// Each word once, in the order of its first occurrence.
std::vector<std::string> topic_words(std::string_view text);

}  // namespace tribune

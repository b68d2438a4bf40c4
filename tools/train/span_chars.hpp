#pragma once
// span_chars: turns predicted spans into the character offsets the SemEval-2021 Task 5
// F1 compares (tools/train/metrics.hpp span_f1). Pure functions.

#include <cstddef>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace tribune::train {

// Code points of UTF-8 text (no validation: the input is the normaliser-checked dataset).
std::vector<char32_t> code_points(std::string_view s);

// Characters predicted toxic from [start, end) code point spans. Two spans separated only
// by spaces are joined (gold spans of multi-word phrases include the spaces).
std::set<std::size_t> predicted_chars(const std::vector<std::pair<std::size_t, std::size_t>>& spans,
                                      const std::vector<char32_t>& original);

}  // namespace tribune::train

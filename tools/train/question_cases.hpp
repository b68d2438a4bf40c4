#pragma once
// question_cases: reads tests/fixtures/classifier/question_cases.tsv (hand-written cases for the
// "is it a question?" detector: slice, lang, expected, text) and scores a detector per
// slice. Shared by the detector's GoogleTest and the model card, so both count the same
// way. The trainer never trains on these cases. Header-only; pure functions.

#include <cstddef>
#include <istream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/classify/question_detector.hpp"
#include "core/text/text_normalizer.hpp"
#include "tools/train/dataset_tsv.hpp"

namespace tribune::train {

struct question_case {
    std::string slice, lang;
    bool expected = false;  // true: a question
    std::string text;
};

// Lines starting with '#' and blank lines are skipped; a malformed line is counted.
inline std::vector<question_case> read_question_cases(std::istream& in, std::size_t& malformed) {
    std::vector<question_case> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto f = split_tabs(line);
        if (f.size() != 4 || (f[2] != "0" && f[2] != "1") || f[3].empty()) {
            ++malformed;
            continue;
        }
        out.push_back({f[0], f[1], f[2] == "1", f[3]});
    }
    return out;
}

struct question_slice_result {
    std::size_t n = 0, right = 0;
    std::vector<std::string> wrong;
    double accuracy() const { return n ? static_cast<double>(right) / static_cast<double>(n) : 0.0; }
};

// Accuracy per (slice, lang) at the detector's threshold.
inline std::map<std::pair<std::string, std::string>, question_slice_result> score_question_cases(
    const question_detector& d, const std::vector<question_case>& cases) {
    std::map<std::pair<std::string, std::string>, question_slice_result> out;
    for (const question_case& c : cases) {
        question_slice_result& r = out[{c.slice, c.lang}];
        ++r.n;
        auto n = normalize(c.text);
        const bool said = n && d.question_probability(std::string_view(n->text)) >= d.threshold();
        if (n && said == c.expected) ++r.right;
        else r.wrong.push_back(c.text);
    }
    return out;
}

}  // namespace tribune::train

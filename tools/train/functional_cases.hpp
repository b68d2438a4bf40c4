#pragma once
// functional_cases: reads tests/fixtures/classifier/functional_cases.tsv (hand-written functional
// test cases: slice, lang, attribute, expected, text) and scores a classifier on each
// slice. Shared by the functional GoogleTest and the model card, so both count the same
// way. The trainer never trains on these cases. Header-only; pure functions.

#include <cstddef>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "core/domain/attribute.hpp"
#include "tools/train/dataset_tsv.hpp"

namespace tribune::train {

struct functional_case {
    std::string slice, lang;
    attribute attr = attribute::toxicity;
    bool expected = false;  // true: the score must reach the attribute's decision threshold
    std::string text;
};

// Lines starting with '#' and blank lines are skipped; a malformed line is counted.
inline std::vector<functional_case> read_functional_cases(std::istream& in, std::size_t& malformed) {
    std::vector<functional_case> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto f = split_tabs(line);
        const auto a = f.size() == 5 ? attribute_from_string(f[2]) : std::nullopt;
        if (!a || (f[3] != "0" && f[3] != "1") || f[4].empty()) {
            ++malformed;
            continue;
        }
        out.push_back({f[0], f[1], *a, f[3] == "1", f[4]});
    }
    return out;
}

struct slice_result {
    std::size_t n = 0, right = 0;
    std::vector<std::string> wrong;  // texts the classifier got wrong
    double accuracy() const { return n ? static_cast<double>(right) / static_cast<double>(n) : 0.0; }
};

// Accuracy per (slice, lang) at each attribute's decision threshold, or at `fixed_threshold`
// for every attribute when it is >= 0.
inline std::map<std::pair<std::string, std::string>, slice_result> score_functional_cases(
    const linear_classifier& clf, const std::vector<functional_case>& cases, float fixed_threshold = -1.0f) {
    std::map<std::pair<std::string, std::string>, slice_result> out;
    for (const functional_case& c : cases) {
        slice_result& r = out[{c.slice, c.lang}];
        ++r.n;
        auto s = clf.classify(c.text);
        const float t = fixed_threshold >= 0 ? fixed_threshold : clf.model().thresholds(c.attr).decision;
        const bool flagged = s && s->values[c.attr] >= t;
        if (s && flagged == c.expected) ++r.right;
        else r.wrong.push_back(c.text);
    }
    return out;
}

}  // namespace tribune::train

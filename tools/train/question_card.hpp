#pragma once
// question_card: the model-card section of the "is it a question?" detector: what it is,
// its data and labels, precision and recall on the report half of its validation split
// (overall, per language, per kind of text, against the "ends with '?'" and "contains '?'"
// rules), and the hand-written cases. Single-threaded use.

#include <cstddef>
#include <string>
#include <vector>

#include "core/classify/question_detector.hpp"
#include "tools/train/question_cases.hpp"

namespace tribune::train {

// One line of prepare_questions.py's TSV, its text normalised.
struct question_example {
    std::string key, split, lang, source, kind;
    bool label = false;  // a question
    std::string text;    // normalised
};

struct question_row {
    const question_example* ex;
    float probability;
};

struct question_card_inputs {
    const question_detector& detector;
    const std::vector<question_row>& rows;  // the report half
    const std::vector<question_case>& cases;
    std::string cases_path;
    std::size_t train_size, calibration_size;
    int epochs, buckets_log2;
    float lr;
};

// The markdown section; appends a one-line summary of the main figures to `summary`.
std::string write_question_card(const question_card_inputs& in, std::string& summary);

}  // namespace tribune::train

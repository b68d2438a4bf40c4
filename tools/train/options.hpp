#pragma once
// options: the trainer's command line (see train_model.cpp for the usage line).

#include <cstdint>
#include <string>

namespace tribune::train {

struct options {
    std::string data, model, card, card_intro;
    std::string dump_tokens;  // write "split \t labels \t tokens" per example and stop
    int epochs = 5;
    int buckets_log2 = 19;
    int char_min = 3, char_max = 5;
    float lr = 0.1f;
    float l2 = 1e-6f;
    float max_pos_weight = 4.0f;
    std::uint64_t seed = 20261128;
    double review_recall = 0.90;
    double review_max_fpr = 0.05;
    double reject_precision = 0.95;
};

// Parses argv into `out`. Returns 0 on success, else the exit code (2: usage error, with
// the reason on stderr).
int parse_options(int argc, char** argv, options& out);

}  // namespace tribune::train

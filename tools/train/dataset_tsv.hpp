#pragma once
// dataset_tsv: reads the TSV that tools/train/prepare_data.py writes (one example a line,
// seven tab-separated columns: key, split, lang, sources, labels, spans, text). Shared by
// the trainer and the data tests so that both read the file the same way.
//
// Header-only so that the tests can use it without the trainer target (the sanitizer
// presets do not build tools/train). Pure functions; safe from any thread.

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace tribune::train {

// One line of the dataset, as text.
struct dataset_row {
    std::string key, split, lang, sources;
    std::string labels;  // six characters '1', '0' or '-' in prepare_data.py's ATTRS order
    std::string spans;   // toxic_spans2021 gold offsets as a JSON list, or empty
    std::string text;
};

inline constexpr std::size_t dataset_columns = 7;

// Splits on every tab; a trailing tab yields a trailing empty field.
inline std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t b = 0;
    for (;;) {
        const std::size_t e = line.find('\t', b);
        if (e == std::string::npos) {
            out.push_back(line.substr(b));
            return out;
        }
        out.push_back(line.substr(b, e - b));
        b = e + 1;
    }
}

// The non-negative integers of a JSON list such as "[3,4,5]", in order.
inline std::vector<std::size_t> parse_offsets(const std::string& s) {
    std::vector<std::size_t> v;
    std::size_t cur = 0;
    bool in = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + static_cast<std::size_t>(c - '0');
            in = true;
        } else if (in) {
            v.push_back(cur);
            cur = 0;
            in = false;
        }
    }
    if (in) v.push_back(cur);
    return v;
}

// Reads every line of `in`; a line without exactly seven columns is counted in
// `malformed` and skipped.
inline std::vector<dataset_row> read_dataset_rows(std::istream& in, std::size_t& malformed) {
    std::vector<dataset_row> rows;
    std::string line;
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() != dataset_columns) {
            ++malformed;
            continue;
        }
        rows.push_back({std::move(f[0]), std::move(f[1]), std::move(f[2]), std::move(f[3]),
                        std::move(f[4]), std::move(f[5]), std::move(f[6])});
    }
    return rows;
}

}  // namespace tribune::train

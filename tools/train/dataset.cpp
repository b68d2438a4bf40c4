#include "tools/train/dataset.hpp"

#include <fstream>
#include <iostream>
#include <string_view>

#include "core/classify/text_features.hpp"
#include "core/text/text_normalizer.hpp"
#include "tools/train/dataset_tsv.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {

bool load_dataset(const std::string& path, dataset& out) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "train_model: cannot read " << path << "\n";
        return false;
    }
    std::size_t bad = 0;
    for (dataset_row& r : read_dataset_rows(in, bad)) {
        example e;
        e.key = std::move(r.key);
        e.split = std::move(r.split);
        e.lang = std::move(r.lang);
        e.sources = std::move(r.sources);
        for (std::size_t k = 0; k < heads; ++k) {
            const char c = r.labels[k];
            e.y[static_cast<std::size_t>(column_attr[k])] =
                static_cast<std::int8_t>(c == '1' ? 1 : c == '0' ? 0 : -1);
        }
        e.has_spans = !r.spans.empty();
        if (e.has_spans) e.gold = parse_offsets(r.spans);
        e.original = std::move(r.text);
        auto n = normalize(e.original);
        if (!n) {
            ++bad;
            continue;
        }
        e.text = std::move(n.value().text);
        out.examples.push_back(std::move(e));
    }
    progress("read and normalised " + std::to_string(out.examples.size()) + " examples (" +
             std::to_string(bad) + " rejected)");
    for (std::size_t i = 0; i < out.examples.size(); ++i) {
        const example& e = out.examples[i];
        if (e.split != "valid") {
            out.train.push_back(i);
            continue;
        }
        out.valid.push_back(i);
        (in_calibration_half(e) ? out.calibration : out.report).push_back(i);
    }
    return true;
}

bool in_calibration_half(const example& e) {
    if (e.key.empty()) return true;
    const char c = e.key.back();
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    return digit % 2 == 0;
}

void dump_tokens(const dataset& data, const std::string& path) {
    std::ofstream out(path);
    std::vector<text_token> toks;
    for (const example& e : data.examples) {
        feature_extractor::tokenize(e.text, toks, 512);
        out << e.split << '\t';
        for (std::size_t k = 0; k < heads; ++k) {
            const int y = e.y[static_cast<std::size_t>(column_attr[k])];
            out << (y < 0 ? '-' : static_cast<char>('0' + y));
        }
        out << '\t';
        for (std::size_t k = 0; k < toks.size(); ++k)
            out << (k ? " " : "")
                << std::string_view(e.text).substr(toks[k].byte_begin, toks[k].byte_end - toks[k].byte_begin);
        out << '\n';
    }
    progress("wrote tokens to " + path);
}

}  // namespace tribune::train

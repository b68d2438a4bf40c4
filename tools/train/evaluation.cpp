#include "tools/train/evaluation.hpp"

#include <chrono>
#include <fstream>

#include "tools/train/train_log.hpp"

namespace tribune::train {

std::vector<eval_row> classify_validation(const linear_classifier& clf, const dataset& data) {
    std::vector<eval_row> rows;
    rows.reserve(data.report.size());
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i : data.report) {
        auto c = clf.classify(data.examples[i].original);
        if (!c) continue;
        rows.push_back({&data.examples[i], std::move(c).value(), {}, {}});
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const feature_extractor fx(clf.model().config());
    text_feature_set fs;
    for (eval_row& r : rows) {
        fx.extract(r.ex->text, fs);
        clf.model().score(fs, r.raw, nullptr);
        for (const text_token& t : fs.tokens)
            r.words.emplace_back(std::string_view(r.ex->text).substr(t.byte_begin, t.byte_end - t.byte_begin));
    }
    progress("classified " + std::to_string(rows.size()) + " report-half texts in " + fmt(s, 2) + " s (" +
             fmt(1e6 * s / static_cast<double>(rows.size()), 1) + " us/text incl. spans)");
    return rows;
}

void dump_predictions(const linear_classifier& clf, const dataset& data, const std::string& path) {
    std::ofstream out(path);
    for (std::size_t i : data.valid) {
        const example& e = data.examples[i];
        auto c = clf.classify(e.original);
        if (!c) continue;
        out << e.key << '\t' << (in_calibration_half(e) ? "cal" : "rep") << '\t' << e.sources << '\t' << e.lang << '\t';
        for (std::size_t k = 0; k < heads; ++k) {
            const int y = e.y[static_cast<std::size_t>(column_attr[k])];
            out << (y < 0 ? '-' : static_cast<char>('0' + y));
        }
        for (std::size_t k = 0; k < heads; ++k) out << '\t' << c->values.values[static_cast<std::size_t>(column_attr[k])];
        out << '\t' << e.original << '\n';
    }
    progress("wrote validation predictions to " + path);
}

std::vector<scored> collect(const std::vector<eval_row>& rows, std::size_t h, const std::string& lang,
                            const std::string& source) {
    std::vector<scored> v;
    for (const eval_row& r : rows) {
        if (r.ex->y[h] < 0) continue;
        if (!lang.empty() && r.ex->lang != lang) continue;
        if (!source.empty() && r.ex->sources.find(source) == std::string::npos) continue;
        v.push_back({r.c.values.values[h], r.ex->y[h]});
    }
    return v;
}

}  // namespace tribune::train

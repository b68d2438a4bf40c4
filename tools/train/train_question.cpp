// train_question: trains Tribune's "is it a question?" detector (models/question.tlm) from
// the TSV prepare_questions.py writes: a logistic model over question_features, AdaGrad,
// positives weighted sqrt(neg/pos); Platt calibration fitted on the calibration half of
// its own seeded validation split (the same last-hex-digit cut as the toxicity model's),
// every reported number on the other half. Writes the model and its model card
// (models/QUESTION_MODEL_CARD.md), and prints the main figures (precision, recall) on stdout.
// Single-threaded and seeded: the same input gives the same bytes.
// scripts/train-question-model runs it.
//
// usage: train_question --data questions.tsv --model out.tlm --card CARD.md
//                       [--cases tests/fixtures/classifier/question_cases.tsv] [--epochs N]
//                       [--buckets-log2 B] [--lr X]

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/classify/question_detector.hpp"
#include "core/text/text_normalizer.hpp"
#include "tools/train/calibration.hpp"
#include "tools/train/dataset_tsv.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/question_cases.hpp"
#include "tools/train/question_card.hpp"
#include "tools/train/train_log.hpp"

using namespace tribune;
using namespace tribune::train;

namespace {

struct question_options {
    std::string data, model, card, cases;
    int epochs = 5;
    int buckets_log2 = 16;
    float lr = 0.2f;
    float l2 = 1e-6f;
    std::uint64_t seed = 20261206;
};

int parse(int argc, char** argv, question_options& o) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--data") o.data = v;
        else if (a == "--model") o.model = v;
        else if (a == "--card") o.card = v;
        else if (a == "--cases") o.cases = v;
        else if (a == "--epochs") o.epochs = std::stoi(v);
        else if (a == "--buckets-log2") o.buckets_log2 = std::stoi(v);
        else if (a == "--lr") o.lr = std::stof(v);
        else {
            std::cerr << "usage: train_question --data TSV --model OUT --card CARD.md [--cases TSV] "
                         "[--epochs N] [--buckets-log2 B] [--lr X]\n";
            return 2;
        }
    }
    if (argc % 2 == 0 || o.data.empty() || o.model.empty()) {
        std::cerr << "train_question: --data and --model are required\n";
        return 2;
    }
    return 0;
}

bool load(const std::string& path, std::vector<question_example>& out) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "train_question: cannot read " << path << "\n";
        return false;
    }
    std::string line;
    std::size_t bad = 0;
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() != 7 || (f[5] != "0" && f[5] != "1")) {
            ++bad;
            continue;
        }
        auto n = normalize(f[6]);
        if (!n) {
            ++bad;
            continue;
        }
        question_example e{f[0], f[1], f[2], f[3], f[4], f[5] == "1", std::move(n.value().text)};
        out.push_back(std::move(e));
    }
    progress("read " + std::to_string(out.size()) + " question examples (" + std::to_string(bad) + " skipped)");
    return true;
}

bool in_calibration_half(const std::string& key) {
    const char c = key.empty() ? '0' : key.back();
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    return digit % 2 == 0;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Logistic regression over question_features with AdaGrad.
struct learner {
    question_features fx;
    std::vector<float> w, g2;
    float b = 0, b_g2 = 0;
    std::array<float, 2> class_weight{1.0f, 1.0f};

    explicit learner(std::uint32_t buckets) : fx(buckets), w(buckets, 0.0f), g2(buckets, 0.0f) {}

    float logit(const question_feature_set& fs) const {
        float z = b;
        for (std::uint32_t k : fs.buckets) z += w[k] * fs.scale;
        return z;
    }
    void step(const question_feature_set& fs, bool y, const question_options& o) {
        const float g = (sigmoid(logit(fs)) - (y ? 1.0f : 0.0f)) * class_weight[y ? 1 : 0];
        b_g2 += g * g;
        b -= o.lr * g / std::sqrt(b_g2 + 1e-6f);
        for (std::uint32_t k : fs.buckets) {
            const float gi = g * fs.scale + o.l2 * w[k];
            g2[k] += gi * gi;
            w[k] -= o.lr * gi / std::sqrt(g2[k] + 1e-6f);
        }
    }
};

void train_learner(learner& l, const std::vector<question_example>& data, const std::vector<std::size_t>& train_rows,
           const std::vector<std::size_t>& cal_rows, const question_options& o) {
    std::size_t pos = 0;
    for (std::size_t i : train_rows) pos += data[i].label;
    const double neg = static_cast<double>(train_rows.size() - pos);
    l.class_weight = {1.0f, static_cast<float>(std::clamp(std::sqrt(neg / std::max<double>(1, pos)), 1.0, 4.0))};
    progress("question train split: " + std::to_string(pos) + " questions, " + fmt(neg, 0) +
             " other texts; question weight " + fmt(l.class_weight[1], 2));
    std::mt19937_64 rng(o.seed);
    question_feature_set fs;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        std::vector<std::size_t> order = train_rows;
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng() % i)]);
        for (std::size_t i : order) {
            l.fx.extract(data[i].text, fs);
            l.step(fs, data[i].label, o);
        }
        std::vector<scored> v;
        for (std::size_t i : cal_rows) {
            l.fx.extract(data[i].text, fs);
            v.push_back({l.logit(fs), data[i].label ? 1 : 0});
        }
        progress("question epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs) +
                 " calibration-half AUC " + fmt(roc_auc(v), 4));
    }
}

}  // namespace

int main(int argc, char** argv) {
    question_options o;
    if (const int rc = parse(argc, argv, o); rc != 0) return rc;
    std::vector<question_example> data;
    if (!load(o.data, data)) return 1;
    std::vector<std::size_t> train_rows, cal_rows, report_rows;
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i].split != "valid") train_rows.push_back(i);
        else (in_calibration_half(data[i].key) ? cal_rows : report_rows).push_back(i);
    }
    learner l(1u << o.buckets_log2);
    train_learner(l, data, train_rows, cal_rows, o);

    question_detector d = question_detector::quantize(l.w, l.b);
    std::vector<scored> cal;
    for (std::size_t i : cal_rows) cal.push_back({d.logit(data[i].text), data[i].label ? 1 : 0});
    // Calibrated to a prior of one half: at 0.5, a question and a non-question weigh the same.
    const head_calibration c = fit_platt(cal, positive_weight_for(cal, 0.5));
    d.set_calibration(c.a, c.b);
    d.set_threshold(0.5f);
    progress("question Platt a " + fmt(c.a, 3) + " b " + fmt(c.b, 3) + " (calibration half, prior 0.5)");
    if (auto s = d.save(o.model); !s) {
        std::cerr << "train_question: " << s.message() << "\n";
        return 1;
    }
    progress("wrote " + o.model);

    auto loaded = question_detector::load(o.model);
    if (!loaded) {
        std::cerr << "train_question: cannot reload: " << loaded.error().message() << "\n";
        return 1;
    }
    std::vector<question_row> rows;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i : report_rows) rows.push_back({&data[i], (*loaded)->question_probability(data[i].text)});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress("scored " + std::to_string(rows.size()) + " report-half texts in " + fmt(s, 3) + " s (" +
             fmt(1e6 * s / static_cast<double>(std::max<std::size_t>(rows.size(), 1)), 2) + " us/text, normalised)");
    std::vector<question_case> cases;
    if (!o.cases.empty()) {
        std::ifstream in(o.cases);
        std::size_t malformed = 0;
        cases = read_question_cases(in, malformed);
    }
    std::string summary;
    const std::string card = write_question_card({**loaded, rows, cases, o.cases, train_rows.size(), cal_rows.size(),
                                                 o.epochs, o.buckets_log2, o.lr}, summary);
    if (!o.card.empty()) {
        std::ofstream out(o.card);
        out << "# Model card: Tribune's \"is it a question?\" detector\n\n"
            << "Generated by `scripts/train-question-model` (also run by `scripts/train-model`) from "
               "`../shared/data`; do not edit by hand. Every figure below was printed by that run.\n"
            << card;
        if (!out) {
            std::cerr << "train_question: cannot write " << o.card << "\n";
            return 1;
        }
        progress("wrote " + o.card);
    }
    std::cout << summary << "\n";
    return 0;
}

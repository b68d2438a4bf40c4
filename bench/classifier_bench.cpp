// Classifier latency: one 280-character text through normalise + features + six heads +
// language + spans, on one thread. Budget: median under 50 µs per 280-character text on one core.
//
//   cmake --preset bench && cmake --build --preset bench --target classifier_bench
//   build/bench/bench/classifier_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
//
// TRIBUNE_BENCH_MODEL=path measures another model file (e.g. the previous commit's) with the
// same binary.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/text_features.hpp"
#include "core/text/text_normalizer.hpp"

namespace {

const std::string model_path =
    std::getenv("TRIBUNE_BENCH_MODEL") != nullptr ? std::getenv("TRIBUNE_BENCH_MODEL") : TRIBUNE_MODEL_PATH;

// 280 code points each (checked at start-up).
const std::string toxic_280 =
    "Honestly you are the most clueless idiot on this panel, and every time you open your "
    "f*cking mouth the whole room gets dumber. Those people you keep defending are vermin. "
    "Shut up, sit down and let someone who actually knows what they are talking about answer "
    "the question, okay!!!";
const std::string clean_280 =
    "Thank you for the talk. Could you say more about how the new transit plan will affect "
    "people who commute from the suburbs, especially families with young children, and "
    "whether the city has looked at what other towns did when they introduced similar fares "
    "and schedules last year??";

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

const tribune::linear_classifier& classifier() {
    static auto loaded = tribune::linear_classifier::load(model_path);
    if (!loaded) {
        std::fprintf(stderr, "classifier_bench: %s\n", loaded.error().message().c_str());
        std::exit(1);
    }
    return *loaded.value();
}

void run(benchmark::State& state, const std::string& text) {
    const auto& clf = classifier();
    std::size_t spans = 0;
    for (auto _ : state) {
        auto r = clf.classify(text);
        spans = r->spans.size();
        benchmark::DoNotOptimize(r);
    }
    state.counters["code_points"] = static_cast<double>(code_points(text));
    state.counters["spans"] = static_cast<double>(spans);
}

void BM_classify_toxic_280(benchmark::State& state) { run(state, toxic_280); }
void BM_classify_clean_280(benchmark::State& state) { run(state, clean_280); }

// The parts, for finding where the time goes.
void BM_normalize_280(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(tribune::normalize(toxic_280));
}

void BM_features_280(benchmark::State& state) {
    tribune::feature_extractor fx(classifier().model().config());
    const std::string n = tribune::normalize(toxic_280)->text;
    tribune::text_feature_set fs;
    for (auto _ : state) {
        fx.extract(n, fs);
        benchmark::DoNotOptimize(fs.entries.data());
    }
    state.counters["features"] = static_cast<double>(fs.entries.size());
}

void BM_score_with_contributions_280(benchmark::State& state) {
    const auto& m = classifier().model();
    tribune::feature_extractor fx(m.config());
    tribune::text_feature_set fs;
    fx.extract(tribune::normalize(toxic_280)->text, fs);
    tribune::head_logits z{};
    std::vector<tribune::head_logits> contrib;
    for (auto _ : state) {
        m.score(fs, z, &contrib);
        benchmark::DoNotOptimize(z);
    }
}

BENCHMARK(BM_classify_toxic_280);
BENCHMARK(BM_classify_clean_280);
BENCHMARK(BM_normalize_280);
BENCHMARK(BM_features_280);
BENCHMARK(BM_score_with_contributions_280);

}  // namespace

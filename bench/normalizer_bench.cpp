// Benchmarks for core/text_normalizer and core/word_list on 280-character texts.
// Run: cmake --preset bench && cmake --build --preset bench && build/bench/bench/normalizer_bench

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/text/text_normalizer.hpp"
#include "core/text/word_list.hpp"

namespace {

// Roughly 280 characters each.
const std::string english =
    "What is the speaker's view on the new housing policy? Many of us in the north of the city "
    "have waited years for a decent flat, rents keep climbing and the council never answers our "
    "letters. Will the 2025 plan actually build homes, or is it another promise for the cameras?";
const std::string french =
    "Ça coûte combien exactement, ce nouveau tramway ? On nous a promis qu'il serait prêt à "
    "Noël, puis à Pâques, et maintenant l'été prochain. Les commerçants de la rue Émile-Zola "
    "ont perdu des mois de chiffre d'affaires : qui va les dédommager, et quand, s'il vous plaît ?";
const std::string obfuscated =
    "f u c k this sh1t, you @ssh0le!!! fuuuuuck y\xD0\xBEu and your \xD1\x80\xD0\xBErn "
    "pr0mises, 𝐢𝐝𝐢𝐨𝐭. F*CK the c\u200Bo\u200Bu\u200Bn\u200Bc\u200Bi\u200Bl, b!tch3s, "
    "l1ars. ｓｔｕｐｉｄ people, g0 t0 h3ll. f.u.c.k.i.n.g cl0wns, all of y0u, every "
    "s1ngle one.";

void normalize_text(benchmark::State& state, const std::string& text) {
    for (auto _ : state) {
        auto r = tribune::normalize(text);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["chars"] = static_cast<double>(tribune::decode_utf8(text).size());
}

void BM_normalize_english(benchmark::State& s) { normalize_text(s, english); }
void BM_normalize_french(benchmark::State& s) { normalize_text(s, french); }
void BM_normalize_obfuscated(benchmark::State& s) { normalize_text(s, obfuscated); }

BENCHMARK(BM_normalize_english);
BENCHMARK(BM_normalize_french);
BENCHMARK(BM_normalize_obfuscated);

// A list of `state.range(0)` terms: a few real ones plus generated words and phrases.
std::shared_ptr<const tribune::word_list> make_list(std::int64_t size) {
    std::vector<std::string> banned = {"fuck", "shit", "asshole", "idiot", "go to hell", "liars"};
    std::vector<std::string> suspect = {"clown", "stupid", "people", "vermin"};
    for (std::int64_t i = 0; static_cast<std::int64_t>(banned.size() + suspect.size()) < size; ++i) {
        std::string w;
        for (std::int64_t v = i + 1000; v > 0; v /= 26) w.push_back(static_cast<char>('a' + v % 26));
        (i % 3 == 0 ? suspect : banned).push_back(i % 5 == 0 ? w + " " + w : w);
    }
    auto r = tribune::word_list::build(std::move(banned), std::move(suspect));
    return std::make_shared<const tribune::word_list>(std::move(r).value());
}

void match_normalised(benchmark::State& state, const std::string& text) {
    const auto list = make_list(state.range(0));
    const auto n = tribune::normalize(text);
    for (auto _ : state) {
        auto m = list->match(*n);
        benchmark::DoNotOptimize(m);
    }
    state.counters["matches"] = static_cast<double>(list->match(*n).size());
}

void BM_word_list_english(benchmark::State& s) { match_normalised(s, english); }
void BM_word_list_obfuscated(benchmark::State& s) { match_normalised(s, obfuscated); }

BENCHMARK(BM_word_list_english)->Arg(100)->Arg(10'000);
BENCHMARK(BM_word_list_obfuscated)->Arg(100)->Arg(10'000);

}  // namespace

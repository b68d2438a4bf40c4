#pragma once
// dataset: the trainer's examples, read from prepare_data.py's TSV (dataset_tsv.hpp) and
// normalised once with the server's normaliser. Single-threaded use.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/domain/attribute.hpp"

namespace tribune::train {

constexpr std::size_t heads = attribute_count;

// Attribute order of the dataset's label column (prepare_data.py ATTRS).
constexpr std::array<attribute, heads> column_attr = {
    attribute::toxicity, attribute::severe_toxicity, attribute::insult,
    attribute::profanity, attribute::threat, attribute::identity_attack};

struct example {
    std::string key, split, lang, sources, original, text;  // text: normalised
    std::array<std::int8_t, heads> y{};  // by attribute index; -1 masked
    bool has_spans = false;
    std::vector<std::size_t> gold;  // gold character offsets (code points of `original`)
};

// The validation split (prepare_data.py's seeded 15%) is cut in two fixed halves by the
// last hex digit of the example's key: `calibration` fits the calibration, the thresholds
// and the span threshold; `report` is held out and only measured (the model card).
struct dataset {
    std::vector<example> examples;
    std::vector<std::size_t> train, valid;  // indices into examples, by split
    std::vector<std::size_t> calibration, report;  // the two halves of `valid`
};

// True when example `e` (of the validation split) belongs to the calibration half.
bool in_calibration_half(const example& e);

// Reads and normalises `path`. Returns false (with a message on stderr) when the file
// cannot be read; malformed lines and texts the normaliser rejects are skipped and counted
// in the progress log.
bool load_dataset(const std::string& path, dataset& out);

// `order` shuffled by Fisher-Yates on raw mt19937_64 output (the trainers' epoch order; the
// same rng state gives the same order).
inline std::vector<std::size_t> shuffled(std::vector<std::size_t> order, std::mt19937_64& rng) {
    for (std::size_t i = order.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(rng() % i);
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

// Writes "split \t labels \t tokens" per example (for tools/train/compare_fasttext.py).
void dump_tokens(const dataset& data, const std::string& path);

}  // namespace tribune::train

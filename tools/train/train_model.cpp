// train_model: trains Tribune's toxicity model from the TSV written by prepare_data.py,
// quantizes it, chooses thresholds on the validation split, writes the model, reloads it
// through the production classifier and evaluates exactly what ships, then writes the
// model card. Single-threaded and seeded: the same input gives the same bytes.
//
// usage: train_model --data dataset.tsv --model out.tlm --card MODEL_CARD.md
//                    --card-intro intro.md [--epochs N] [--buckets-log2 B] [--char-ngrams 3-5]
//                    [--lr X] [--l2 X] [--max-pos-weight X] [--dump-tokens FILE]
//
// The steps live in this folder, one file each: dataset (reading), head_trainer
// (training), thresholds (choosing thresholds and the span fraction), evaluation,
// model_card (writing the card).

#include <fstream>
#include <iostream>
#include <string>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/linear_model.hpp"
#include "tools/train/calibration.hpp"
#include "tools/train/conv_trainer.hpp"
#include "tools/train/dataset.hpp"
#include "tools/train/evaluation.hpp"
#include "tools/train/head_trainer.hpp"
#include "tools/train/model_card.hpp"
#include "tools/train/options.hpp"
#include "tools/train/span_trainer.hpp"
#include "tools/train/thresholds.hpp"
#include "tools/train/train_log.hpp"

using namespace tribune;
using namespace tribune::train;

int main(int argc, char** argv) {
    options opt;
    if (const int rc = parse_options(argc, argv, opt); rc != 0) return rc;

    dataset data;
    if (!load_dataset(opt.data, data)) return 1;
    if (!opt.dump_tokens.empty()) {  // for tools/train/compare_fasttext.py
        dump_tokens(data, opt.dump_tokens);
        return 0;
    }

    feature_config cfg;
    cfg.buckets = 1u << opt.buckets_log2;
    cfg.char_ngram_min = static_cast<std::uint32_t>(opt.char_min);
    cfg.char_ngram_max = static_cast<std::uint32_t>(opt.char_max);
    cfg.scope_features = opt.scope_features;
    cfg.joined_pairs = opt.joined_pairs;
    cfg.group_context = opt.group_context;
    cfg.min_norm_sq = static_cast<std::uint32_t>(opt.min_norm_sq);
    head_trainer tr(opt, cfg);
    const label_counts counts = tr.set_class_weights(data);
    tr.set_identity_balance(data);
    tr.set_nb_ratios(data);
    tr.train(data);

    // Heads: quantize, calibrate and choose thresholds on the calibration half.
    std::vector<float> weights(std::size_t{cfg.buckets} * model_columns, 0.0f);
    {
        const std::vector<float> head_weights = tr.effective_weights();
        for (std::size_t b = 0; b < cfg.buckets; ++b)
            for (std::size_t h = 0; h < heads; ++h) weights[b * model_columns + h] = head_weights[b * heads + h];
    }
    linear_model heads_only = linear_model::quantize(cfg, weights, tr.bias());
    heads_only.set_deep(tr.deep_network());
    if (opt.conv_filters > 0) {
        conv_trainer net(opt, cfg);
        net.train(data, tr.class_weights());
        heads_only.set_conv(net.network(fit_blend(heads_only, net, data, opt)));
    }
    const calibration_report calibration = calibrate_heads(heads_only, data, opt.language_calibration);
    log_threshold_check(heads_only, data);
    choose_head_thresholds(heads_only, data, opt);

    // Span model on top of the quantized heads; each column has its own scale, so adding
    // the span columns leaves the heads' quantized weights unchanged.
    const span_weights sw = train_span_model(heads_only, data, opt);
    for (std::size_t b = 0; b < cfg.buckets; ++b) {
        weights[b * model_columns + span_self_column] = sw.self[b];
        weights[b * model_columns + span_context_column] = sw.context[b];
    }
    linear_model model = linear_model::quantize(cfg, weights, tr.bias());
    model.set_deep(heads_only.deep());
    model.set_conv(heads_only.conv());
    for (attribute a : all_attributes) {
        model.set_calibration(a, heads_only.calibration(a));
        for (const std::string_view lang : calibration_languages)
            model.set_language_calibration(a, lang, heads_only.calibration(a, lang));
        model.set_thresholds(a, heads_only.thresholds(a));
    }
    model.set_span_model(sw.params);
    choose_span_threshold(model, data);
    if (!opt.dump_spans.empty()) dump_span_tokens(model, data, opt.dump_spans);
    if (auto s = model.save(opt.model); !s) {
        std::cerr << "train_model: " << s.message() << "\n";
        return 1;
    }
    progress("wrote " + opt.model);

    // Evaluate what ships: reload through the production classifier.
    auto loaded = linear_classifier::load(opt.model);
    if (!loaded) {
        std::cerr << "train_model: cannot reload: " << loaded.error().message() << "\n";
        return 1;
    }
    const linear_classifier& clf = *loaded.value();
    const std::vector<eval_row> rows = classify_validation(clf, data);
    if (!opt.dump_predictions.empty()) dump_predictions(clf, data, opt.dump_predictions);

    std::string summary;
    const std::string card = write_model_card({opt, cfg, data, counts, calibration, clf, rows}, summary);
    if (!opt.card.empty()) {
        std::ofstream(opt.card) << card;
        progress("wrote " + opt.card);
    }
    std::cout << summary << "\n";
    return 0;
}

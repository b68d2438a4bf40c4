#include "tools/train/options.hpp"

#include <iostream>

namespace tribune::train {
namespace {

constexpr const char* usage =
    "[--epochs N] [--buckets-log2 B] [--char-ngrams MIN-MAX] [--lr X] [--l2 X] [--max-pos-weight X] "
    "[--dump-tokens FILE] [--dump-predictions FILE] [--dump-spans FILE] [--functional-cases TSV] [--scope-features 0|1] [--joined-pairs 0|1] [--group-context 0|1] [--fr-weight X] [--counter-weight X] [--source-weights SRC=W,...] [--question-negative-weight X] [--nb-floor X] [--identity-balance X] [--identity-balance-tox X] [--min-norm-sq N] [--span-epochs N] [--deep-dim D] [--deep-hidden H] [--deep-buckets-log2 B] [--deep-lr X] [--conv-filters N] [--conv-dim D] [--conv-width W] [--conv-buckets-log2 B] [--conv-max-tokens N] [--conv-epochs N] [--conv-lr X] [--conv-l2 X] [--conv-dropout P] [--conv-fr-weight X] [--conv-heads all|HEAD,...] "
    "[--span-lr X] [--span-l2 X] [--span-dense-lr X] [--span-neighbours 0|1] [--span-negative-docs N] [--span-doc-weighting X] [--span-positive-weight X] [--language-calibration HEAD[:b],...|none]\n";

}  // namespace

int parse_options(int argc, char** argv, options& opt) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) {
            std::cerr << (a.rfind("--", 0) == 0 ? "missing value for " + a + "\n" : std::string(usage));
            return 2;
        }
        const std::string v = argv[++i];
        if (a == "--data") opt.data = v;
        else if (a == "--model") opt.model = v;
        else if (a == "--card") opt.card = v;
        else if (a == "--card-intro") opt.card_intro = v;
        else if (a == "--epochs") opt.epochs = std::stoi(v);
        else if (a == "--buckets-log2") opt.buckets_log2 = std::stoi(v);
        else if (a == "--lr") opt.lr = std::stof(v);
        else if (a == "--l2") opt.l2 = std::stof(v);
        else if (a == "--max-pos-weight") opt.max_pos_weight = std::stof(v);
        else if (a == "--dump-tokens") opt.dump_tokens = v;
        else if (a == "--dump-predictions") opt.dump_predictions = v;
        else if (a == "--dump-spans") opt.dump_spans = v;
        else if (a == "--functional-cases") opt.functional_cases = v;
        else if (a == "--scope-features") opt.scope_features = v == "1";
        else if (a == "--joined-pairs") opt.joined_pairs = v == "1";
        else if (a == "--group-context") opt.group_context = v == "1";
        else if (a == "--fr-weight") opt.fr_weight = std::stof(v);
        else if (a == "--counter-weight") opt.counter_weight = std::stof(v);
        else if (a == "--source-weights") opt.source_weights = v;
        else if (a == "--question-negative-weight") opt.question_negative_weight = std::stof(v);
        else if (a == "--nb-floor") opt.nb_floor = std::stof(v);
        else if (a == "--identity-balance") opt.identity_balance = std::stof(v);
        else if (a == "--identity-balance-tox") opt.identity_balance_tox = std::stof(v);
        else if (a == "--min-norm-sq") opt.min_norm_sq = std::stoi(v);
        else if (a == "--span-epochs") opt.span_epochs = std::stoi(v);
        else if (a == "--deep-dim") opt.deep_dim = std::stoi(v);
        else if (a == "--deep-hidden") opt.deep_hidden = std::stoi(v);
        else if (a == "--deep-buckets-log2") opt.deep_buckets_log2 = std::stoi(v);
        else if (a == "--deep-lr") opt.deep_lr = std::stof(v);
        else if (a == "--deep-epochs") opt.deep_epochs = std::stoi(v);
        else if (a == "--conv-filters") opt.conv_filters = std::stoi(v);
        else if (a == "--conv-dim") opt.conv_dim = std::stoi(v);
        else if (a == "--conv-width") opt.conv_width = std::stoi(v);
        else if (a == "--conv-buckets-log2") opt.conv_buckets_log2 = std::stoi(v);
        else if (a == "--conv-max-tokens") opt.conv_max_tokens = std::stoi(v);
        else if (a == "--conv-epochs") opt.conv_epochs = std::stoi(v);
        else if (a == "--conv-lr") opt.conv_lr = std::stof(v);
        else if (a == "--conv-l2") opt.conv_l2 = std::stof(v);
        else if (a == "--conv-dropout") opt.conv_dropout = std::stof(v);
        else if (a == "--conv-fr-weight") opt.conv_fr_weight = std::stof(v);
        else if (a == "--conv-heads") opt.conv_heads = v;
        else if (a == "--span-lr") opt.span_lr = std::stof(v);
        else if (a == "--span-l2") opt.span_l2 = std::stof(v);
        else if (a == "--span-dense-lr") opt.span_dense_lr = std::stof(v);
        else if (a == "--span-neighbours") opt.span_neighbours = v == "1";
        else if (a == "--language-calibration") opt.language_calibration = v == "none" ? std::string() : v;
        else if (a == "--span-negative-docs") opt.span_negative_docs = std::stoul(v);
        else if (a == "--span-doc-weighting") opt.span_doc_weighting = std::stof(v);
        else if (a == "--span-positive-weight") opt.span_positive_weight = std::stof(v);
        else if (a == "--char-ngrams") {  // "MIN-MAX"
            opt.char_min = std::stoi(v.substr(0, v.find('-')));
            opt.char_max = std::stoi(v.substr(v.find('-') + 1));
        } else {
            std::cerr << usage;
            return 2;
        }
    }
    if (opt.data.empty() || opt.model.empty()) {
        std::cerr << "train_model: --data and --model are required\n";
        return 2;
    }
    return 0;
}

}  // namespace tribune::train

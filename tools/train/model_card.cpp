#include "tools/train/model_card.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "tools/train/metrics.hpp"
#include "tools/train/model_card_sections.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {

std::string attr_name(std::size_t h) { return std::string(to_string(static_cast<attribute>(h))); }

const head_thresholds& thresholds_of(const card_inputs& in, attribute a) { return in.clf.model().thresholds(a); }

void write_parameters(std::ostream& card, const card_inputs& in) {
    const options& opt = in.opt;
    card << "\n## Parameters (this build)\n\n"
         << "| parameter | value |\n|---|---|\n"
         << "| features | word unigrams, word bigrams (half to each word), character " << in.cfg.char_ngram_min
         << "-" << in.cfg.char_ngram_max << "-grams of `<word>`"
         << (in.cfg.scope_features ? "; negated words (up to 6 words after a negation cue, to the clause end) and quoted words as extra features" : "")
         << (in.cfg.joined_pairs ? "; adjacent words split by a space, one of them at most 3 letters, joined" : "")
         << (in.cfg.group_context ? "; words within " + std::to_string(group_window) + " words of a word naming a group (negated or not) as extra features" : std::string())
         << "; hashed (FNV-1a + mix) into 2^" << opt.buckets_log2 << " = " << in.cfg.buckets
         << " shared buckets; input scaled to unit L2 norm, or by 1/sqrt(" << in.cfg.min_norm_sq
         << ") when the squared norm is smaller (a word or two is not blown up to a sentence's weight) |\n"
         << "| heads | 6 independent logistic heads over the shared features; masked labels contribute no gradient |\n"
         << "| optimiser | AdaGrad, learning rate " << opt.lr << ", L2 " << opt.l2 << ", " << opt.epochs
         << " epochs, seed " << opt.seed << ", one thread; French examples weighted " << opt.fr_weight << " |\n"
         << "| class weighting | positives weighted sqrt(neg/pos), capped at " << opt.max_pos_weight << " |\n"
         << "| NB scaling | " << (opt.nb_floor > 0 ? "each head's input for a bucket scaled by max(abs(r), " + fmt(opt.nb_floor, 2) + "), r the add-one-smoothed log ratio of the bucket's presence in the head's positive and negative train texts (NB-SVM style, Wang and Manning 2012); the shipped weights include the scale" : std::string("off")) << " |\n"
         << "| counter-data | tools/train/counter_data.py templates, train only, gradient weight " << opt.counter_weight << " |\n"
         << "| ordinary questions | real train texts known not toxic whose text holds a '?' (TREC, Jigsaw, OLID, Davidson, the French sets), gradient weight " << opt.question_negative_weight << " on every head but identity_attack |\n"
         << "| calibration | Platt scaling per head (score = sigmoid(a * logit + b)), fitted on the calibration half of the validation split with its positives reweighted to a class prior chosen per head (below) |\n"
         << "| span model | token-level logistic model: the token's own features and its neighbours' (two more weight columns), its share of each head's logit, absolute and relative to the document's largest"
         << (opt.span_neighbours ? ", its neighbours' relative shares" : "") << ", and the document's toxicity logit; trained "
         << opt.span_epochs << " epochs on the gold spans of toxic_spans2021's train split"
         << (opt.span_negative_docs > 0 ? " plus up to " + std::to_string(opt.span_negative_docs) + " non-toxic train texts (all tokens negative)" : std::string(" alone"))
         << "; threshold " << fmt(in.clf.model().span_model().threshold, 2) << " and relative share "
         << fmt(in.clf.model().span_model().relative, 2) << " chosen on the calibration half |\n"
         << "| convolutional part | " << (in.clf.model().conv().empty() ? std::string("none") : conv_description(in)) << " |\n"
         << "| quantization | int8 per weight, one float scale per column (6 heads + 2 span columns) |\n"
         << "| model file | " << in.cfg.buckets * model_columns / 1024 << " KiB of weights + header |\n"
         << "| examples | " << in.data.examples.size() << " after deduplication: " << in.data.train.size() << " train (including the counter-data templates), "
         << in.data.valid.size() << " validation (SHA-256 of a seed and the dedup key; 15%), cut by the key's last hex digit into "
         << in.data.calibration.size() << " calibration and " << in.data.report.size() << " report texts |\n\n";

    card << "Training examples per attribute (positive / negative / masked):\n\n| attribute | positive | negative | masked |\n|---|---|---|---|\n";
    for (std::size_t h = 0; h < heads; ++h)
        card << "| " << attr_name(h) << " | " << in.counts[h][1] << " | " << in.counts[h][0] << " | "
             << in.data.train.size() - in.counts[h][0] - in.counts[h][1] << " |\n";
}

std::string conv_description(const card_inputs& in) {
    const conv_network::shape& s = in.clf.model().conv().dims();
    const options& opt = in.opt;
    return std::to_string(s.filters) + " filters of " + std::to_string(s.width) + " tokens over " +
           std::to_string(s.dim) + "-dimensional token vectors (the mean of the token's feature rows in 2^" +
           std::to_string(opt.conv_buckets_log2) + " hashed int8 embedding rows), ReLU, max over the first " +
           std::to_string(s.max_tokens) + " tokens, one output per head; trained alone (AdaGrad, rate " +
           fmt(opt.conv_lr, 2) + ", " + std::to_string(opt.conv_epochs) + " epoch(s), dropout " +
           fmt(opt.conv_dropout, 1) + " on the pooled vector, French weighted " + fmt(opt.conv_fr_weight, 1) +
           "), then added to the heads' logits " + opt.conv_heads +
           " with a weight per head chosen on the calibration half (next section)";
}

void write_conv_part(std::ostream& card, const card_inputs& in) {
    if (in.clf.model().conv().empty()) return;
    // The same shipped model with its convolutional part removed, scored on the same texts.
    linear_model without = in.clf.model();
    without.set_conv(conv_network{});
    const feature_extractor fx(without.config());
    text_feature_set fs;
    struct pair_logits {
        head_logits with, without;
        const example* ex;
    };
    std::vector<pair_logits> v;
    for (const eval_row& r : in.rows) {
        fx.extract(r.ex->text, fs);
        pair_logits p{r.raw, {}, r.ex};
        without.score(fs, p.without, nullptr);
        v.push_back(p);
    }
    auto auc = [&](std::size_t h, bool with, const std::string& lang, const std::string& source) {
        std::vector<scored> s;
        for (const pair_logits& p : v)
            if (p.ex->y[h] >= 0 && (lang.empty() || p.ex->lang == lang) &&
                (source.empty() || p.ex->sources.find(source) != std::string::npos))
                s.push_back({with ? p.with[h] : p.without[h], p.ex->y[h]});
        return roc_auc(s);
    };
    card << "\n## The convolutional part (report half: ROC-AUC of the shipped model without it / with it)\n\n"
         << "Its blend weight per head is the one (0 to 8 in steps of 0.1) with the highest mean of the "
            "calibration half's French and non-French ROC-AUCs; heads outside `--conv-heads` get 0. "
            "Calibration and thresholds are fitted after the blend, so they include it.\n\n"
         << "| attribute | all | English | French | OLID tweets |\n|---|---|---|---|---|\n";
    for (std::size_t h = 0; h < heads; ++h) {
        auto cell = [&](const std::string& lang, const std::string& source) {
            const double a = auc(h, false, lang, source), b = auc(h, true, lang, source);
            return a < 0 ? std::string("n/a") : fmt(a) + " / " + fmt(b);
        };
        card << "| " << attr_name(h) << " | " << cell("", "") << " | " << cell("en", "") << " | " << cell("fr", "")
             << " | " << cell("", "olid2019") << " |\n";
    }
}

void write_thresholds(std::ostream& card, const card_inputs& in) {
    const options& opt = in.opt;
    card << "\n## Thresholds (on calibrated scores, chosen on the calibration half)\n\n"
         << "Scores are Platt-calibrated probabilities at a reference class prior chosen per head: the calibration half's positives are reweighted to a prior "
         << "from {the half's own mix, 0.2, 0.3, 0.4, 0.5}, and the prior whose calibrated 0.5 gives the best mean macro-F1 over the half's sources ships, "
         << "so that 0.5 is a sensible operating point on sets with different base rates (the validation mix itself is far more toxic than a Q&A, "
         << "so its own mix is not the natural one). `decision` maximises F1 on the calibration half; `review` is the highest threshold that still finds "
         << static_cast<int>(opt.review_recall * 100) << "% of the positives, raised where needed so that at most "
         << static_cast<int>(opt.review_max_fpr * 100) << "% of the known negatives are sent to review (suggested triage `review_above`); `reject` is the lowest threshold whose precision is at least "
         << static_cast<int>(opt.reject_precision * 100) << "% with at least 10 true positives (suggested `reject_above`; `never` when no threshold reaches it: do not auto-reject on this attribute alone). "
         << "A score at or above a threshold passes it.\n\n"
         << "| attribute | calibrated to a prior of | Platt a | Platt b | decision | review_above | reject_above |\n|---|---|---|---|---|---|---|\n";
    for (std::size_t h = 0; h < heads; ++h) {
        const auto a = static_cast<attribute>(h);
        const auto& t = thresholds_of(in, a);
        const auto& c = in.clf.model().calibration(a);
        const double prior = in.calibration.prior[h];
        card << "| " << attr_name(h) << " | " << (prior > 0 ? fmt(prior, 1) : std::string("the mix")) << " | " << fmt(c.a, 3) << " | " << (c.b < 0 ? "-" + fmt(-c.b) : fmt(c.b))
             << " | " << fmt(t.decision) << " | " << fmt(t.review) << " | " << fmt(t.reject) << " |\n";
    }
    card << "\nPer-language calibration: each head has a Platt fit of its own for each language the detector names "
         << "(`en`, `fr`), at the head's prior, on the calibration-half texts detected as that language, pulled toward the main fit "
         << "(ridge " << fmt(language_ridge, 1) << "): both (a, b) and a shift of b alone (main's a) are fitted, and the one with the lower "
         << "cross-validated log loss is the candidate; it is fitted only with at least " << min_language_texts
         << " such texts and " << min_language_class << " of each class, and kept only when its log loss (positives weighted to the head's prior), "
         << "cross-validated over " << language_folds << " folds of those texts, is at least " << fmt(100 * min_language_gain, 0) << "% below the main fit's on the same texts; else the language keeps the main fit. "
         << "Texts detected as neither (`und`) use the main fit. The thresholds above apply to every language.\n\n"
         << "| attribute | lang | calibration-half texts | positives | log loss, own fit (cross-validated) | log loss, main fit | Platt a | Platt b |\n|---|---|---|---|---|---|---|---|\n";
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t l = 0; l < calibration_languages.size(); ++l) {
            const auto a = static_cast<attribute>(h);
            const language_fit& f = in.calibration.language[h][l];
            const auto& c = in.clf.model().calibration(a, calibration_languages[l]);
            card << "| " << attr_name(h) << " | " << calibration_languages[l] << " | " << f.n << " | " << f.positives << " | "
                 << (!f.enabled ? std::string("not tried") : f.cv_loss_own >= 0 ? fmt(f.cv_loss_own, 4) : std::string("too few")) << " | "
                 << (!f.enabled ? std::string("not tried") : f.cv_loss_main >= 0 ? fmt(f.cv_loss_main, 4) : std::string("too few")) << " | "
                 << (f.fitted ? fmt(c.a, 3) : std::string("main")) << " | "
                 << (f.fitted ? (c.b < 0 ? "-" + fmt(-c.b) : fmt(c.b)) : std::string("main")) << " |\n";
        }
}

namespace {

// (uncalibrated sigmoid(logit), label) pairs, as collect() selects them.
std::vector<scored> collect_uncalibrated(const std::vector<eval_row>& rows, std::size_t h, const std::string& lang) {
    std::vector<scored> v;
    for (const eval_row& r : rows) {
        if (r.ex->y[h] < 0 || (!lang.empty() && r.ex->lang != lang)) continue;
        v.push_back({1.0f / (1.0f + std::exp(-r.raw[h])), r.ex->y[h]});
    }
    return v;
}

}  // namespace

void write_validation_metrics(std::ostream& card, const card_inputs& in, std::string& summary) {
    card << "\n## Held-out metrics (report half of the validation split; the shipped, quantized model loaded through `linear_classifier`)\n\n"
         << "Only examples whose label for that attribute is known count. ECE: expected calibration error over 10 equal-width bins, "
         << "at the head's reference prior (positives reweighted as in the fit: what the calibration promises) and on the report half's own mix; "
         << "uncalibrated: the same model's sigmoid(logit) before Platt scaling, on the mix. P/R/F1 at the shipped `decision` threshold; "
         << "F1 and recall at `review_above`; precision and recall at `reject_above`.\n\n"
         << "| attribute | lang | n | positives | ROC-AUC | ECE at prior | ECE mix | ECE uncalibrated | P | R | F1 | F1@review | R@review | P@reject | R@reject |\n"
         << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (std::size_t h = 0; h < heads; ++h) {
        const auto& t = thresholds_of(in, static_cast<attribute>(h));
        for (const std::string lang : {"", "en", "fr"}) {
            const auto v = collect(in.rows, h, lang, "");
            std::size_t pos = 0;
            for (const auto& s : v) pos += static_cast<std::size_t>(s.label);
            const prf d = at_threshold(v, t.decision), rv = at_threshold(v, t.review), rj = at_threshold(v, t.reject);
            const double auc = roc_auc(v), ece_mix = expected_calibration_error(v);
            const double ece = expected_calibration_error(v, 10, positive_weight_for(v, in.calibration.prior[h]));
            const double ece_raw = expected_calibration_error(collect_uncalibrated(in.rows, h, lang));
            card << "| " << attr_name(h) << " | " << (lang.empty() ? "all" : lang) << " | " << v.size() << " | "
                 << pos << " | " << fmt(auc) << " | " << fmt(ece) << " | " << fmt(ece_mix) << " | " << fmt(ece_raw) << " | " << fmt(d.precision)
                 << " | " << fmt(d.recall) << " | " << fmt(d.f1) << " | " << fmt(rv.f1) << " | " << fmt(rv.recall) << " | "
                 << (rj.tp + rj.fp ? fmt(rj.precision) : "n/a") << " | " << fmt(rj.recall) << " |\n";
            if (lang.empty()) summary += attr_name(h) + " AUC " + fmt(auc) + " ECE " + fmt(ece) + " F1 " + fmt(d.f1) + "; ";
            if (lang == "fr") summary += "fr AUC " + fmt(auc) + "; ";
        }
    }
}

std::string write_model_card(const card_inputs& in, std::string& summary) {
    std::ostringstream card;
    if (!in.opt.card_intro.empty()) {
        std::ifstream intro(in.opt.card_intro);
        card << intro.rdbuf();
    }
    write_parameters(card, in);
    write_conv_part(card, in);
    write_thresholds(card, in);
    write_validation_metrics(card, in, summary);
    write_per_source(card, in);
    write_slices(card, in, summary);
    write_functional(card, in, summary);
    write_benign_questions(card, in, summary);
    write_comparable(card, in, summary);
    write_language_detection(card, in);
    std::ifstream outro(in.opt.card_intro.substr(0, in.opt.card_intro.rfind('/') + 1) + "model_card_weaknesses.md");
    if (outro) card << "\n" << outro.rdbuf();
    return card.str();
}

}  // namespace tribune::train

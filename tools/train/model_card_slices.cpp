// Model card sections: per source, slices of the report half, the functional test file,
// benign questions.

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <set>

#include "tools/train/functional_cases.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/model_card_sections.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

constexpr std::size_t tox = static_cast<std::size_t>(attribute::toxicity);
constexpr std::size_t ia = static_cast<std::size_t>(attribute::identity_attack);

// Normalised words naming a group (English and French), for the identity-term slices.
const std::set<std::string> identity_words = {
    "muslim", "muslims", "islam", "jew", "jews", "jewish", "black", "blacks", "gay", "gays", "lesbian",
    "lesbians", "trans", "transgender", "immigrant", "immigrants", "refugee", "refugees", "women", "woman",
    "disabled", "asian", "asians", "arab", "arabs", "mexican", "mexicans", "christian", "christians", "hindu",
    "roma", "migrant", "migrants", "homosexual", "homosexuals", "african", "africans", "latino", "latinos",
    "musulman", "musulmans", "musulmane", "juif", "juifs", "juive", "noir", "noirs", "noire", "homosexuel",
    "homosexuels", "immigre", "immigres", "refugie", "refugies", "femme", "femmes", "handicape", "handicapes",
    "arabe", "arabes", "rom", "roms", "migrant", "etranger", "etrangers", "africain", "africains", "asiatique",
    "asiatiques", "lesbienne", "lesbiennes", "chretien", "chretiens"};

const std::set<std::string> negation_words = {"not", "no", "never", "nobody", "nothing", "t", "dont", "isnt",
                                              "ne", "n", "pas", "jamais", "rien", "aucun", "aucune"};

bool mentions(const eval_row& r, const std::set<std::string>& words) {
    return std::any_of(r.words.begin(), r.words.end(), [&](const std::string& w) { return words.count(w) > 0; });
}

std::string f1_or_na(const std::vector<scored>& v, float t) {
    std::size_t pos = 0;
    for (const auto& s : v) pos += static_cast<std::size_t>(s.label);
    return pos ? fmt(at_threshold(v, t).f1) : std::string("n/a");
}

}  // namespace

void write_per_source(std::ostream& card, const card_inputs& in) {
    card << "\n### Per source (report half of each set)\n\n| source | n | toxicity AUC | toxicity F1 | identity_attack AUC | identity_attack F1 |\n|---|---|---|---|---|---|\n";
    for (const char* src : {"davidson2017", "olid2019", "toxic_spans2021", "mlma_fr", "ftr_fr", "trec_questions",
                            "jigsaw_subset", "jigsaw_fr_mt", "implicit_hate2021", "toxigen_seeds",
                            "stormfront_hate2018", "hatemojibuild2022", "crowdcounter2024", "toxifrench_fr"}) {
        std::size_t n = 0;
        for (const eval_row& r : in.rows) n += r.ex->sources.find(src) != std::string::npos;
        const auto vt = collect(in.rows, tox, "", src), vi = collect(in.rows, ia, "", src);
        card << "| " << src << " | " << n << " | " << fmt(roc_auc(vt)) << " | "
             << f1_or_na(vt, thresholds_of(in, attribute::toxicity).decision) << " | " << fmt(roc_auc(vi)) << " | "
             << f1_or_na(vi, thresholds_of(in, attribute::identity_attack).decision) << " |\n";
    }
}

void write_slices(std::ostream& card, const card_inputs& in, std::string& summary) {
    struct slice {
        const char* name;
        std::function<bool(const eval_row&)> keep;
    };
    const std::vector<slice> slices = {
        {"names a group (identity word)", [](const eval_row& r) { return mentions(r, identity_words); }},
        {"names a group, English", [](const eval_row& r) { return r.ex->lang == "en" && mentions(r, identity_words); }},
        {"names a group, French", [](const eval_row& r) { return r.ex->lang == "fr" && mentions(r, identity_words); }},
        {"has a negation word", [](const eval_row& r) { return mentions(r, negation_words); }},
        {"counter-speech replies (CrowdCounter)", [](const eval_row& r) { return r.ex->sources == "crowdcounter2024" && r.ex->y[ia] == 0; }},
        {"neutral sentences about groups (ToxiGen neutral)", [](const eval_row& r) { return r.ex->sources == "toxigen_seeds" && r.ex->y[ia] == 0; }},
        {"French, all", [](const eval_row& r) { return r.ex->lang == "fr"; }},
    };
    card << "\n### Slices of the report half (`identity_attack` unless said)\n\n"
         << "FPR: share of the slice's known negatives at or above `decision` (for an identity word, the identity-term bias of Dixon et al. 2018).\n\n"
         << "| slice | n (label known) | positives | ROC-AUC | F1 | FPR | toxicity ROC-AUC |\n|---|---|---|---|---|---|---|\n";
    const float t = thresholds_of(in, attribute::identity_attack).decision;
    for (const slice& s : slices) {
        std::vector<scored> v, vt;
        for (const eval_row& r : in.rows) {
            if (!s.keep(r)) continue;
            if (r.ex->y[ia] >= 0) v.push_back({r.c.values.values[ia], r.ex->y[ia]});
            if (r.ex->y[tox] >= 0) vt.push_back({r.c.values.values[tox], r.ex->y[tox]});
        }
        std::size_t pos = 0;
        for (const auto& x : v) pos += static_cast<std::size_t>(x.label);
        const prf p = at_threshold(v, t);
        const double fpr = p.fp + p.tn ? static_cast<double>(p.fp) / static_cast<double>(p.fp + p.tn) : -1;
        card << "| " << s.name << " | " << v.size() << " | " << pos << " | " << fmt(roc_auc(v)) << " | "
             << f1_or_na(v, t) << " | " << fmt(fpr) << " | " << fmt(roc_auc(vt)) << " |\n";
        if (std::string(s.name).rfind("counter", 0) == 0) summary += "counter-speech FPR " + fmt(fpr) + "; ";
    }
}

void write_functional(std::ostream& card, const card_inputs& in, std::string& summary) {
    if (in.opt.functional_cases.empty()) return;
    std::ifstream f(in.opt.functional_cases);
    std::size_t malformed = 0;
    const auto cases = read_functional_cases(f, malformed);
    const auto results = score_functional_cases(in.clf, cases);
    const auto at_half = score_functional_cases(in.clf, cases, 0.5f);
    card << "\n## Functional tests (`tests/fixtures/classifier/functional_cases.tsv`, hand-written, never trained on)\n\n"
         << "Share of cases right: a hostile case must reach its attribute's `decision` threshold, a benign one must stay below. "
         << "`tests/classifier/functional_test.cpp` asserts a minimum per slice.\n\n"
         << "The last column counts at a calibrated 0.5 instead of `decision`.\n\n"
         << "| slice | lang | cases | right | attribute, expected | right at 0.5 |\n|---|---|---|---|---|---|\n";
    std::size_t n = 0, right = 0;
    for (const auto& [key, r] : results) {
        std::string what;
        for (const functional_case& c : cases)
            if (c.slice == key.first) {
                what = std::string(to_string(c.attr)) + (c.expected ? ", flagged" : ", not flagged");
                break;
            }
        card << "| " << key.first << " | " << key.second << " | " << r.n << " | " << fmt(r.accuracy())
             << " | " << what << " | " << fmt(at_half.at(key).accuracy()) << " |\n";
        n += r.n;
        right += r.right;
        progress("functional " + key.first + " " + key.second + ": " + fmt(r.accuracy()) + " of " + std::to_string(r.n));
    }
    summary += "functional " + fmt(n ? static_cast<double>(right) / static_cast<double>(n) : -1) + "; ";
}

// Questions sent to review: TREC (benign), then every report-half text whose original holds a
// '?' split by its labels (genuine: toxicity 0 and no attribute 1; hostile: any attribute 1),
// so that a model cannot look better on genuine questions by missing hostile ones.
void write_benign_questions(std::ostream& card, const card_inputs& in, std::string& summary) {
    struct tally {
        std::size_t n = 0, flagged = 0, tox_half = 0;
        std::array<std::size_t, heads> by{};
    };
    tally trec, genuine, hostile;
    const auto count = [&](tally& t, const eval_row& r) {
        ++t.n;
        bool any = false;
        for (std::size_t h = 0; h < heads; ++h)
            if (r.c.values.values[h] >= thresholds_of(in, static_cast<attribute>(h)).review) {
                any = true;
                ++t.by[h];
            }
        t.flagged += any;
        t.tox_half += r.c.values.values[static_cast<std::size_t>(attribute::toxicity)] >= 0.5f;
    };
    for (const eval_row& r : in.rows) {
        if (r.ex->sources.find("trec_questions") != std::string::npos) count(trec, r);
        if (r.ex->original.find('?') == std::string::npos) continue;
        bool positive = false;
        for (std::size_t h = 0; h < heads; ++h) positive = positive || r.ex->y[h] == 1;
        if (positive) count(hostile, r);
        else if (r.ex->y[static_cast<std::size_t>(attribute::toxicity)] == 0) count(genuine, r);
    }
    const auto pct = [](std::size_t a, std::size_t n) { return fmt(n ? 100.0 * static_cast<double>(a) / static_cast<double>(n) : -1, 1); };
    const auto line = [&](const char* what, const tally& t) {
        card << "\n" << what << " sent to review by any attribute's `review_above`: " << t.flagged << " of " << t.n << " ("
             << pct(t.flagged, t.n) << "%); toxicity >= 0.5: " << t.tox_half << " (" << pct(t.tox_half, t.n) << "%); by attribute:";
        for (std::size_t h = 0; h < heads; ++h) card << " " << attr_name(h) << " " << t.by[h];
        card << ".\n";
    };
    line("Benign TREC questions in the report half", trec);
    line("Genuine report-half texts holding a '?' (toxicity 0, no attribute 1)", genuine);
    line("Hostile report-half texts holding a '?' (any attribute 1)", hostile);
    summary += "TREC to review " + std::to_string(trec.flagged) + "/" + std::to_string(trec.n) + "; genuine '?' to review " +
               std::to_string(genuine.flagged) + "/" + std::to_string(genuine.n) + "; hostile '?' to review " +
               std::to_string(hostile.flagged) + "/" + std::to_string(hostile.n) + "; ";
}

}  // namespace tribune::train

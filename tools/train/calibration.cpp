#include "tools/train/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "core/classify/language_detector.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {


}  // namespace

head_calibration fit_platt(const std::vector<scored>& v, double positive_weight, head_calibration center,
                           double ridge, double ridge_a) {
    if (ridge_a < 0) ridge_a = ridge;
    // The default unit ridge pulling (a, b) toward (1, 0) is negligible with thousands of
    // texts, but it keeps the fit finite when a reweighted class is (nearly) separable.
    const double a0 = center.a, b0 = center.b;
    // The penalised weighted log loss; Newton steps are halved until it falls, so logits
    // far from the unit scale (a blended network's) cannot make the fit diverge.
    auto objective = [&](double a, double b) {
        double l = 0.5 * ridge_a * (a - a0) * (a - a0) + 0.5 * ridge * (b - b0) * (b - b0);
        for (const scored& s : v) {
            const double m = a * s.score + b;
            // log(1 + exp(-m)) for a positive, log(1 + exp(m)) for a negative, without overflow.
            const double x = s.label ? -m : m;
            l += (s.label ? positive_weight : 1.0) * (x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)));
        }
        return l;
    };
    double a = a0, b = b0;
    double current = objective(a, b);
    for (int iter = 0; iter < 100; ++iter) {
        double ga = ridge_a * (a - a0), gb = ridge * (b - b0);
        double haa = ridge_a, hab = 0, hbb = ridge;
        for (const scored& s : v) {
            const double z = s.score;
            const double wt = s.label ? positive_weight : 1.0;
            const double p = 1.0 / (1.0 + std::exp(-(a * z + b)));
            const double r = (p - s.label) * wt;
            const double w = std::max(p * (1 - p), 1e-12) * wt;
            ga += r * z;
            gb += r;
            haa += w * z * z;
            hab += w * z;
            hbb += w;
        }
        const double det = haa * hbb - hab * hab;
        if (det <= 0) break;
        double da = (hbb * ga - hab * gb) / det;
        double db = (haa * gb - hab * ga) / det;
        double next = objective(a - da, b - db);
        for (int halvings = 0; !(next <= current) && halvings < 40; ++halvings) {
            da /= 2;
            db /= 2;
            next = objective(a - da, b - db);
        }
        if (!(next <= current)) break;
        a -= da;
        b -= db;
        current = next;
        if (std::abs(da) < 1e-9 && std::abs(db) < 1e-9) break;
    }
    return {static_cast<float>(a), static_cast<float>(b)};
}

namespace {

double weighted_log_loss(const scored& s, head_calibration c, double positive_weight) {
    const double p = 1.0 / (1.0 + std::exp(-(c.a * s.score + c.b)));
    return -(s.label ? positive_weight : 1.0) * std::log(std::max(1e-12, s.label ? p : 1 - p));
}

// A language's fit: (a, b) pulled toward `main` by language_ridge, or, with `shift_only`,
// main's a and its own b.
head_calibration fit_language(const std::vector<scored>& v, double positive_weight, head_calibration main,
                              bool shift_only) {
    return fit_platt(v, positive_weight, main, language_ridge, shift_only ? 1e12 : language_ridge);
}

// Mean weighted log loss over `v` of fit_language on the other folds (language_folds folds
// by position), and of `main` itself on the same texts.
std::pair<double, double> cross_validated_log_loss(const std::vector<scored>& v, double positive_weight,
                                                   head_calibration main, bool shift_only) {
    double own = 0, base = 0, weight = 0;
    for (std::size_t k = 0; k < language_folds; ++k) {
        std::vector<scored> fit_on;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (i % language_folds != k) fit_on.push_back(v[i]);
        const head_calibration c = fit_language(fit_on, positive_weight, main, shift_only);
        for (std::size_t i = k; i < v.size(); i += language_folds) {
            own += weighted_log_loss(v[i], c, positive_weight);
            base += weighted_log_loss(v[i], main, positive_weight);
            weight += v[i].label ? positive_weight : 1.0;
        }
    }
    return {own / weight, base / weight};
}

double macro_f1_at(const std::vector<scored>& v, float t) {
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (const scored& s : v) {
        const bool p = s.score >= t;
        tp += p && s.label; fp += p && !s.label; fn += !p && s.label; tn += !p && !s.label;
    }
    auto f1 = [](double a, double b, double c) { return a > 0 ? 2 * a / (2 * a + b + c) : 0.0; };
    return (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2;
}

// Mean over the sources of `v` (at least 40 labelled texts, 10 of each class) of the
// macro-F1 at a calibrated 0.5.
double mean_source_macro_f1(const std::vector<scored>& v, const std::vector<const std::string*>& source,
                            head_calibration c) {
    std::map<std::string, std::vector<scored>> by;
    for (std::size_t i = 0; i < v.size(); ++i)
        by[*source[i]].push_back({1.0f / (1.0f + std::exp(-(c.a * v[i].score + c.b))), v[i].label});
    double sum = 0;
    std::size_t n = 0;
    for (const auto& [src, sv] : by) {
        std::size_t pos = 0;
        for (const scored& s : sv) pos += static_cast<std::size_t>(s.label);
        if (sv.size() < 40 || pos < 10 || sv.size() - pos < 10) continue;
        sum += macro_f1_at(sv, 0.5f);
        ++n;
    }
    return n ? sum / static_cast<double>(n) : 0;
}

}  // namespace

calibration_report calibrate_heads(linear_model& model, const dataset& data, const std::string& language_heads) {
    const feature_extractor fx(model.config());
    std::array<std::vector<scored>, heads> v;
    std::array<std::vector<const std::string*>, heads> source;
    std::array<std::array<std::vector<scored>, calibration_languages.size()>, heads> by_language;
    text_feature_set fs;
    head_logits z;
    for (std::size_t i : data.calibration) {
        const example& e = data.examples[i];
        fx.extract(e.text, fs);
        model.score(fs, z, nullptr);
        const std::string_view lang = language_detector::detect(e.text, fs.tokens);
        const auto l = static_cast<std::size_t>(
            std::find(calibration_languages.begin(), calibration_languages.end(), lang) - calibration_languages.begin());
        for (std::size_t h = 0; h < heads; ++h)
            if (e.y[h] >= 0) {
                v[h].push_back({z[h], e.y[h]});
                source[h].push_back(&e.sources);
                if (l < calibration_languages.size()) by_language[h][l].push_back({z[h], e.y[h]});
            }
    }
    calibration_report report;
    for (std::size_t h = 0; h < heads; ++h) {
        double best = -1;
        std::string msg = "Platt " + std::string(to_string(static_cast<attribute>(h))) + ": mean per-source macro-F1 at 0.5";
        double positives = 0;
        for (const scored& s : v[h]) positives += s.label;
        const double mix = v[h].empty() ? 0 : positives / static_cast<double>(v[h].size());
        for (const double prior : calibration_priors) {
            // The half's own mix only while toxic texts are not its majority: no moderation
            // queue sees more attacks than ordinary texts, so such a prior is never natural.
            if (prior < 0 && mix > max_mix_prior) continue;
            const head_calibration c = fit_platt(v[h], positive_weight_for(v[h], prior));
            if (!std::isfinite(c.a) || !std::isfinite(c.b) || c.a <= 0 || c.a > 20) continue;
            const double m = mean_source_macro_f1(v[h], source[h], c);
            msg += " " + (prior > 0 ? fmt(prior, 1) : std::string("mix")) + "=" + fmt(m);
            if (m > best + 1e-9) {
                best = m;
                report.prior[h] = prior;
                model.set_calibration(static_cast<attribute>(h), c);
            }
        }
        const head_calibration c = model.calibration(static_cast<attribute>(h));
        progress(msg + "; chosen " + (report.prior[h] > 0 ? fmt(report.prior[h], 1) : std::string("mix")) + " (a " +
                 fmt(c.a, 2) + ", b " + (c.b < 0 ? "-" + fmt(-c.b, 2) : fmt(c.b, 2)) + ")");
        const std::string name(to_string(static_cast<attribute>(h)));
        const bool shift_forced = ("," + language_heads + ",").find("," + name + ":b,") != std::string::npos;
        const bool enabled = shift_forced || ("," + language_heads + ",").find("," + name + ",") != std::string::npos;
        for (std::size_t l = 0; l < calibration_languages.size(); ++l) {
            const std::vector<scored>& lv = by_language[h][l];
            language_fit& fit = report.language[h][l];
            fit.n = lv.size();
            for (const scored& s : lv) fit.positives += static_cast<std::size_t>(s.label);
            fit.enabled = enabled;
            if (!enabled) continue;
            if (fit.n < min_language_texts || fit.positives < min_language_class ||
                fit.n - fit.positives < min_language_class)
                continue;
            const double pw = positive_weight_for(lv, report.prior[h]);
            // Two candidates, (a, b) and a shift of b alone (fewer texts suffice); the one
            // with the lower cross-validated loss is tried against the main fit.
            const auto full = cross_validated_log_loss(lv, pw, c, false);
            const auto shift = cross_validated_log_loss(lv, pw, c, true);
            fit.shift_only = shift_forced || shift.first < full.first;
            const auto [own, main] = fit.shift_only ? shift : full;
            const head_calibration lc = fit_language(lv, pw, c, fit.shift_only);
            if (!std::isfinite(lc.a) || !std::isfinite(lc.b) || lc.a <= 0 || lc.a > 20) continue;
            fit.cv_loss_own = own;
            fit.cv_loss_main = main;
            if (!(own < main * (1 - min_language_gain))) {
                progress("  " + std::string(calibration_languages[l]) + ": " + std::to_string(fit.n) + " texts, " +
                         std::to_string(fit.positives) + " positive; cross-validated log loss " + fmt(own, 4) +
                         " own fit, " + fmt(main, 4) + " main fit: keeps the main fit");
                continue;
            }
            fit.fitted = true;
            model.set_language_calibration(static_cast<attribute>(h), calibration_languages[l], lc);
            progress("  " + std::string(calibration_languages[l]) + ": " + std::to_string(fit.n) + " texts, " +
                     std::to_string(fit.positives) + " positive; cross-validated log loss " + fmt(own, 4) +
                     " own fit, " + fmt(main, 4) + " main fit: own fit" + (fit.shift_only ? std::string(", b only") : std::string()) + " (a " + fmt(lc.a, 2) + ", b " +
                     (lc.b < 0 ? "-" + fmt(-lc.b, 2) : fmt(lc.b, 2)) + ")");
        }
    }
    return report;
}

void log_threshold_check(const linear_model& model, const dataset& data) {
    const feature_extractor fx(model.config());
    text_feature_set fs;
    head_logits z;
    const std::vector<std::pair<attribute, std::string>> checks = {
        {attribute::toxicity, "olid2019"}, {attribute::toxicity, "jigsaw_subset"},
        {attribute::toxicity, "davidson2017"}, {attribute::toxicity, "toxifrench_fr"},
        {attribute::identity_attack, "implicit_hate2021"}, {attribute::identity_attack, "stormfront_hate2018"},
        {attribute::identity_attack, "hatemojibuild2022"}, {attribute::identity_attack, "toxigen_seeds"},
        {attribute::identity_attack, "mlma_fr"}, {attribute::identity_attack, "ftr_fr"},
        {attribute::identity_attack, "davidson2017"}};
    for (const auto& [a, src] : checks) {
        const auto h = static_cast<std::size_t>(a);
        std::vector<scored> v;
        for (std::size_t i : data.calibration) {
            const example& e = data.examples[i];
            if (e.y[h] < 0 || e.sources.find(src) == std::string::npos) continue;
            fx.extract(e.text, fs);
            model.score(fs, z, nullptr);
            v.push_back({model.calibrated(a, z[h], language_detector::detect(e.text, fs.tokens)), e.y[h]});
        }
        float best_t = 0.5f;
        double best = -1;
        for (const auto& p : sweep(v))
            if (const double m = macro_f1_at(v, p.threshold); m > best) {
                best = m;
                best_t = p.threshold;
            }
        progress("check " + std::string(to_string(a)) + " " + src + " (" + std::to_string(v.size()) +
                 "): macro-F1 at 0.5 " + fmt(macro_f1_at(v, 0.5f)) + ", best " + fmt(best) + " at " + fmt(best_t, 2));
    }
}

}  // namespace tribune::train

#include "tools/train/calibration.hpp"

#include <cmath>
#include <string>

#include "tools/train/train_log.hpp"

namespace tribune::train {

head_calibration fit_platt(const std::vector<scored>& v) {
    double a = 1.0, b = 0.0;
    constexpr double ridge = 1e-6;
    for (int iter = 0; iter < 100; ++iter) {
        double ga = ridge * (a - 1.0), gb = ridge * b;
        double haa = ridge, hab = 0, hbb = ridge;
        for (const scored& s : v) {
            const double z = s.score;
            const double p = 1.0 / (1.0 + std::exp(-(a * z + b)));
            const double r = p - s.label;
            const double w = std::max(p * (1 - p), 1e-12);
            ga += r * z;
            gb += r;
            haa += w * z * z;
            hab += w * z;
            hbb += w;
        }
        const double det = haa * hbb - hab * hab;
        if (det <= 0) break;
        const double da = (hbb * ga - hab * gb) / det;
        const double db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if (std::abs(da) < 1e-9 && std::abs(db) < 1e-9) break;
    }
    return {static_cast<float>(a), static_cast<float>(b)};
}

void calibrate_heads(linear_model& model, const dataset& data) {
    const feature_extractor fx(model.config());
    std::array<std::vector<scored>, heads> v;
    text_feature_set fs;
    head_logits z;
    for (std::size_t i : data.calibration) {
        const example& e = data.examples[i];
        fx.extract(e.text, fs);
        model.score(fs, z, nullptr);
        for (std::size_t h = 0; h < heads; ++h)
            if (e.y[h] >= 0) v[h].push_back({z[h], e.y[h]});
    }
    std::string msg = "Platt calibration (a, b) on " + std::to_string(data.calibration.size()) + " texts:";
    for (std::size_t h = 0; h < heads; ++h) {
        const head_calibration c = fit_platt(v[h]);
        model.set_calibration(static_cast<attribute>(h), c);
        msg += " " + std::string(to_string(static_cast<attribute>(h))) + " (" + fmt(c.a, 2) + ", " +
               (c.b < 0 ? "-" + fmt(-c.b, 2) : fmt(c.b, 2)) + ")";
    }
    progress(msg);
}

}  // namespace tribune::train

#include "tools/train/thresholds.hpp"

#include <limits>
#include <vector>

#include "core/classify/language_detector.hpp"
#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {

void choose_head_thresholds(linear_model& model, const dataset& data, const options& opt) {
    const feature_extractor fx(model.config());
    std::array<std::vector<scored>, heads> v;
    text_feature_set fs;
    head_logits z;
    for (std::size_t i : data.calibration) {
        fx.extract(data.examples[i].text, fs);
        model.score(fs, z, nullptr);
        const std::string_view lang = language_detector::detect(data.examples[i].text, fs.tokens);
        for (std::size_t h = 0; h < heads; ++h)
            if (data.examples[i].y[h] >= 0)
                v[h].push_back({model.calibrated(static_cast<attribute>(h), z[h], lang), data.examples[i].y[h]});
    }
    for (std::size_t h = 0; h < heads; ++h) {
        const chosen_thresholds c = choose(v[h], opt.review_recall, opt.review_max_fpr, opt.reject_precision, 10);
        // "never reached" is stored as +infinity so that a score that rounds to 1.0f does not pass it.
        const float reject = c.reject >= 1.0f ? std::numeric_limits<float>::infinity() : c.reject;
        model.set_thresholds(static_cast<attribute>(h), head_thresholds{c.decision, c.review, reject});
    }
    progress("thresholds chosen on the calibration half");
}

}  // namespace tribune::train

#pragma once
// Evaluation helpers for the trainer: ROC-AUC, precision/recall/F1, threshold choice,
// and the SemEval-2021 Task 5 character F1. Header-only; single-threaded use.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <utility>
#include <vector>

namespace tribune::train {

struct scored {
    float score;
    int label;  // 0 or 1
};

// ROC-AUC by the rank-sum statistic (ties share their average rank). NaN-free: returns
// -1 when one class is absent.
inline double roc_auc(std::vector<scored> v) {
    std::sort(v.begin(), v.end(), [](const scored& a, const scored& b) { return a.score < b.score; });
    double pos = 0, neg = 0, rank_sum = 0;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i;
        while (j < v.size() && v[j].score == v[i].score) ++j;
        const double avg_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;
        for (std::size_t k = i; k < j; ++k) {
            if (v[k].label) {
                rank_sum += avg_rank;
                pos += 1;
            } else {
                neg += 1;
            }
        }
        i = j;
    }
    if (pos == 0 || neg == 0) return -1;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

struct prf {
    double precision = 0, recall = 0, f1 = 0;
    std::size_t tp = 0, fp = 0, fn = 0, tn = 0;
};

inline prf at_threshold(const std::vector<scored>& v, float t) {
    prf r;
    for (const scored& s : v) {
        const bool p = s.score >= t;
        if (p && s.label) ++r.tp;
        else if (p) ++r.fp;
        else if (s.label) ++r.fn;
        else ++r.tn;
    }
    r.precision = r.tp + r.fp ? static_cast<double>(r.tp) / static_cast<double>(r.tp + r.fp) : 0;
    r.recall = r.tp + r.fn ? static_cast<double>(r.tp) / static_cast<double>(r.tp + r.fn) : 0;
    r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
    return r;
}

// Candidate thresholds: distinct scores, descending; for each the cumulative counts.
struct sweep_point {
    float threshold;
    std::size_t tp, fp;
};

inline std::vector<sweep_point> sweep(std::vector<scored> v) {
    std::sort(v.begin(), v.end(), [](const scored& a, const scored& b) { return a.score > b.score; });
    std::vector<sweep_point> out;
    std::size_t tp = 0, fp = 0;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i;
        while (j < v.size() && v[j].score == v[i].score) {
            (v[j].label ? tp : fp) += 1;
            ++j;
        }
        out.push_back({v[i].score, tp, fp});
        i = j;
    }
    return out;
}

struct chosen_thresholds {
    float decision = 0.5f, review = 0.5f, reject = 1.0f;
};

// decision: max F1. review: the highest threshold whose recall reaches `review_recall`,
// raised when needed so the false-positive rate stays <= review_max_fpr (never above decision). reject: the lowest threshold whose precision reaches
// `reject_precision` with at least `min_tp` true positives (never below decision); 1.0
// (never auto-reject) when no threshold reaches it.
inline chosen_thresholds choose(const std::vector<scored>& v, double review_recall,
                                double review_max_fpr, double reject_precision, std::size_t min_tp) {
    chosen_thresholds c;
    const auto pts = sweep(v);
    std::size_t positives = 0;
    for (const scored& s : v) positives += static_cast<std::size_t>(s.label);
    if (pts.empty() || positives == 0) return c;
    double best_f1 = -1;
    for (const auto& p : pts) {
        const double prec = static_cast<double>(p.tp) / static_cast<double>(p.tp + p.fp);
        const double rec = static_cast<double>(p.tp) / static_cast<double>(positives);
        const double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
        if (f1 > best_f1) {
            best_f1 = f1;
            c.decision = p.threshold;
        }
    }
    // review: recall-oriented, but a false-positive rate above review_max_fpr would bury
    // moderators, so the threshold never goes below the point where that rate is reached.
    const std::size_t negatives = v.size() - positives;
    float recall_t = c.decision, fpr_t = 0.0f;
    for (const auto& p : pts) {
        if (static_cast<double>(p.tp) / static_cast<double>(positives) >= review_recall) {
            recall_t = p.threshold;
            break;
        }
    }
    for (const auto& p : pts) {
        if (negatives && static_cast<double>(p.fp) / static_cast<double>(negatives) > review_max_fpr) break;
        fpr_t = p.threshold;
    }
    c.review = std::min(c.decision, std::max(recall_t, fpr_t));
    c.reject = 1.0f;
    for (const auto& p : pts) {
        const double prec = static_cast<double>(p.tp) / static_cast<double>(p.tp + p.fp);
        if (p.tp >= min_tp && prec >= reject_precision) c.reject = p.threshold;
    }
    if (c.reject < c.decision) c.reject = c.decision;
    return c;
}

// SemEval-2021 Task 5 per-post F1 over character offsets: both empty -> 1, one empty -> 0.
inline double span_f1(const std::set<std::size_t>& pred, const std::set<std::size_t>& gold) {
    if (pred.empty() && gold.empty()) return 1.0;
    if (pred.empty() || gold.empty()) return 0.0;
    std::size_t inter = 0;
    for (std::size_t x : pred) inter += gold.count(x);
    if (inter == 0) return 0.0;
    const double p = static_cast<double>(inter) / static_cast<double>(pred.size());
    const double r = static_cast<double>(inter) / static_cast<double>(gold.size());
    return 2 * p * r / (p + r);
}

// Expected calibration error: the share-weighted mean over `bins` equal-width score bins
// of |mean score - share of positives|, positives counting `positive_weight` (to measure
// calibration at another class prior than v's own). -1 when `v` is empty.
inline double expected_calibration_error(const std::vector<scored>& v, std::size_t bins = 10,
                                         double positive_weight = 1.0) {
    if (v.empty()) return -1;
    std::vector<double> sum_score(bins, 0.0), sum_label(bins, 0.0);
    double total = 0;
    for (const scored& s : v) {
        const auto b = std::min(bins - 1, static_cast<std::size_t>(std::max(0.0f, s.score) * static_cast<float>(bins)));
        const double w = s.label ? positive_weight : 1.0;
        sum_score[b] += w * s.score;
        sum_label[b] += w * s.label;
        total += w;
    }
    double ece = 0;
    for (std::size_t b = 0; b < bins; ++b) ece += std::abs(sum_score[b] - sum_label[b]) / total;
    return ece;
}

// The weight that gives positives a share `prior` of v's total weight (1 when prior <= 0
// or a class is absent).
inline double positive_weight_for(const std::vector<scored>& v, double prior) {
    if (prior <= 0) return 1.0;
    double pos = 0;
    for (const scored& s : v) pos += s.label;
    const double neg = static_cast<double>(v.size()) - pos;
    return pos > 0 && neg > 0 ? prior / (1 - prior) * neg / pos : 1.0;
}

}  // namespace tribune::train

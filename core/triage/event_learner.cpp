#include "core/triage/event_learner.hpp"
#include "core/util/sigmoid.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace tribune {
namespace {

constexpr float adagrad_epsilon = 1e-6f;
constexpr std::uint32_t shuffle_seed = 20261206u;

// One weighted example in the fit, its features mapped to dense indices.
struct fit_example {
    std::vector<std::uint32_t> index;  // into the fit's text weights
    std::vector<float> value;
    correction_input_vector inputs{};
    float margin = 0.0f;
    float target = 0.0f;  // 1 hostile, 0 genuine
    float weight = 1.0f;
};

struct weight_vector {
    std::vector<float> w;
    std::vector<float> g2;  // AdaGrad's sum of squared gradients
    explicit weight_vector(std::size_t n) : w(n, 0.0f), g2(n, 0.0f) {}
    void step(std::size_t i, float gradient, float rate) {
        g2[i] += gradient * gradient;
        w[i] -= rate * gradient / std::sqrt(g2[i] + adagrad_epsilon);
    }
};

// Fisher-Yates with mt19937 (std::shuffle's algorithm is not specified): the same order on
// every build.
void shuffle(std::vector<std::size_t>& order, std::mt19937& rng) {
    for (std::size_t i = order.size(); i > 1; --i) {
        const std::size_t j = rng() % i;
        std::swap(order[i - 1], order[j]);
    }
}

}  // namespace

void event_learner::set_label(std::int64_t question_id, std::int64_t group_id, bool hostile,
                              const learning_example& example) {
    remove_label(question_id);
    auto [it, added] = groups_.try_emplace(group_id);
    if (added) {
        it->second.example = example;
        it->second.order = next_order_++;
        arrival_.emplace_back(it->second.order, group_id);
    }
    (hostile ? it->second.hostile : it->second.genuine) += 1;
    questions_[question_id] = {group_id, hostile};
    while (groups_.size() > options_.max_groups) forget_oldest();
}

void event_learner::remove_label(std::int64_t question_id) {
    auto q = questions_.find(question_id);
    if (q == questions_.end()) return;
    const auto [group_id, hostile] = q->second;
    questions_.erase(q);
    auto g = groups_.find(group_id);
    if (g == groups_.end()) return;
    (hostile ? g->second.hostile : g->second.genuine) -= 1;
    if (g->second.hostile + g->second.genuine == 0) groups_.erase(g);  // its arrival_ entry goes stale
}

void event_learner::forget_oldest() {
    while (!arrival_.empty()) {
        const auto [order, group_id] = arrival_.front();
        arrival_.pop_front();
        auto g = groups_.find(group_id);
        if (g == groups_.end() || g->second.order != order) continue;  // stale entry
        groups_.erase(g);
        std::erase_if(questions_, [id = group_id](const auto& q) { return q.second.first == id; });
        return;
    }
}

void event_learner::clear() {
    groups_.clear();
    questions_.clear();
    arrival_.clear();
}

label_counts event_learner::counts() const {
    label_counts c;
    for (const auto& [id, g] : groups_) {
        c.hostile_questions += g.hostile;
        c.genuine_questions += g.genuine;
        if (g.hostile > 0) ++c.hostile_groups;
        if (g.genuine > 0) ++c.genuine_groups;
    }
    return c;
}

float event_learner::bound_for(double hostile, double genuine) const {
    const double m = std::min(hostile, genuine);
    if (m <= 0) return 0.0f;
    return static_cast<float>(options_.bound_max * m / (m + options_.bound_half));
}

struct event_learner::fitted {
    std::unordered_map<std::uint32_t, float> text_weights;
    correction_input_vector input_weights{};
    double hostile = 0, genuine = 0;  // effective counts of the examples used
};

event_learner::fitted event_learner::train(const triage_policy& policy,
                                           bool (*use)(std::int64_t group_id)) const {
    // Examples, their text features mapped to dense indices in order of first appearance.
    // A text feature takes part only when min_groups labelled groups carry it: what recurs
    // across the event's decisions (a theme), never what only one text has.
    std::unordered_map<std::uint32_t, std::uint32_t> groups_with;
    for (const auto& [group_id, g] : groups_)
        if (!use || use(group_id))
            for (std::uint32_t id : g.example.features.ids) ++groups_with[id];
    std::unordered_map<std::uint32_t, std::uint32_t> index_of;
    std::vector<std::uint32_t> ids;
    std::vector<fit_example> examples;
    fitted out;
    for (const auto& [group_id, g] : groups_) {
        if (use && !use(group_id)) continue;
        const double total = static_cast<double>(g.hostile + g.genuine);
        fit_example e;
        const model_features& f = g.example.features;
        for (std::size_t i = 0; i < f.ids.size(); ++i) {
            if (groups_with[f.ids[i]] < options_.min_groups) continue;
            auto [it, added] = index_of.try_emplace(f.ids[i], static_cast<std::uint32_t>(ids.size()));
            if (added) ids.push_back(f.ids[i]);
            e.index.push_back(it->second);
            e.value.push_back(f.values[i]);
        }
        e.inputs = event_correction::inputs(g.example.raw, policy);
        e.margin = event_correction::review_margin(g.example.raw, policy);
        for (const bool is_hostile : {true, false}) {
            const std::int64_t n = is_hostile ? g.hostile : g.genuine;
            if (n == 0) continue;
            e.target = is_hostile ? 1.0f : 0.0f;
            e.weight = static_cast<float>(n / total);
            (is_hostile ? out.hostile : out.genuine) += e.weight;
            examples.push_back(e);
        }
    }

    const learning_options& o = options_;
    weight_vector text(ids.size());
    weight_vector in(correction_inputs);
    std::vector<std::size_t> order(examples.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937 rng(shuffle_seed);
    for (int epoch = 0; epoch < o.epochs && !examples.empty(); ++epoch) {
        shuffle(order, rng);
        for (std::size_t k : order) {
            const fit_example& e = examples[k];
            float delta = 0.0f;
            for (std::size_t i = 0; i < correction_inputs; ++i) delta += in.w[i] * e.inputs[i];
            for (std::size_t i = 0; i < e.index.size(); ++i) delta += text.w[e.index[i]] * e.value[i];
            const float p = sigmoid(o.kappa * (e.margin + delta) + o.offset);
            const float g = e.weight * o.kappa * (p - e.target);
            for (std::size_t i = 0; i < correction_inputs; ++i)
                in.step(i, g * e.inputs[i] + o.l2_inputs * in.w[i], o.learning_rate);
            for (std::size_t i = 0; i < e.index.size(); ++i) {
                const std::uint32_t j = e.index[i];
                text.step(j, g * e.value[i] + o.l2_text * text.w[j], o.learning_rate);
            }
        }
    }
    out.text_weights.reserve(ids.size());
    for (std::size_t j = 0; j < ids.size(); ++j)
        if (text.w[j] != 0.0f) out.text_weights.emplace(ids[j], text.w[j]);
    std::copy(in.w.begin(), in.w.end(), out.input_weights.begin());
    return out;
}

namespace {

// One held-out prediction: the corrected margin and the group's hostile share.
struct checked_group {
    float u = 0.0f;
    double hostile = 0.0;
};

// A narrowed part of the band: its first n held-out groups, the line between them and the rest
// (`beyond` when it takes them all), and its estimated share of wrong calls.
struct narrowed_part {
    std::size_t n = 0;
    float line = 0.0f;
    float error = 0.0f;
};

// The widest narrowed part, scanning `sorted` (held-out groups in the order the line moves):
// the largest n >= min_checked with (wrong + 1) / (n + 2) <= max_error, where wrong counts the
// first n groups' share of the class the line must not take. n = 0: none.
narrowed_part widest(const std::vector<checked_group>& sorted, bool wrong_is_hostile, float max_error,
                     std::int64_t min_checked, float beyond) {
    double wrong = 0;
    narrowed_part best;
    for (std::size_t i = 1; i <= sorted.size(); ++i) {
        const double h = sorted[i - 1].hostile;
        wrong += wrong_is_hostile ? h : 1.0 - h;
        const double error = (wrong + 1.0) / (static_cast<double>(i) + 2.0);
        if (static_cast<std::int64_t>(i) >= min_checked && error <= max_error)
            best = {i, i < sorted.size() ? (sorted[i - 1].u + sorted[i].u) / 2 : beyond, static_cast<float>(error)};
    }
    return best;
}

bool even_group(std::int64_t id) { return id % 2 == 0; }
bool odd_group(std::int64_t id) { return id % 2 != 0; }

}  // namespace

learned_band event_learner::calibrate(const triage_policy& policy) const {
    const band_options& b = options_.band;
    learned_band band{.approve_at = 0.0f, .reject_at = options_.reject_at};
    band.unsure_reject_at = options_.reject_at;
    if (options_.reject_at <= 0.0f || static_cast<std::int64_t>(groups_.size()) < b.min_labels)
        return band;
    // Each half's correction predicts the other half's groups.
    const fitted halves[2] = {train(policy, even_group), train(policy, odd_group)};
    const event_correction judges[2] = {
        event_correction(halves[0].text_weights, halves[0].input_weights, 1.0f, 0.0f, {}),
        event_correction(halves[1].text_weights, halves[1].input_weights, 1.0f, 0.0f, {})};
    std::vector<checked_group> inside;  // held-out groups in the default band [0, reject_at)
    std::vector<checked_group> beyond;  // held-out groups the default band's upper line rejects
    for (const auto& [group_id, g] : groups_) {
        const event_correction& judge = judges[even_group(group_id) ? 1 : 0];
        const learning_example& ex = g.example;
        const float u = event_correction::review_margin(ex.raw, policy) +
                        judge.learned_shift(ex.features, ex.raw, policy);
        ++band.checked;
        if (u < 0.0f) continue;
        (u < options_.reject_at ? inside : beyond)
            .push_back({u, static_cast<double>(g.hostile) / static_cast<double>(g.hostile + g.genuine)});
    }
    std::sort(inside.begin(), inside.end(), [](const checked_group& x, const checked_group& y) { return x.u < y.u; });
    const narrowed_part approved = widest(inside, true, b.approve_error, b.min_checked, band.reject_at);
    if (approved.n > 0) {
        band.approve_at = approved.line;
        band.approve_checked = static_cast<std::int64_t>(approved.n);
        band.approve_error = approved.error;
    }
    narrowed_part rejected;
    {
        std::vector<checked_group> above(inside.begin() + static_cast<std::ptrdiff_t>(approved.n), inside.end());
        std::reverse(above.begin(), above.end());
        rejected = widest(above, false, b.reject_error, b.min_checked, band.approve_at);
        if (rejected.n > 0) {
            band.reject_at = rejected.line;
            band.reject_checked = static_cast<std::int64_t>(rejected.n);
            band.reject_error = rejected.error;
        }
    }
    band.narrowed = approved.n > 0 || rejected.n > 0;
    // The unsure lines: the same scan over every held-out group from the review line up, since
    // with the unsure rule the correction does not reject on its own (OWN REJECTIONS).
    inside.insert(inside.end(), beyond.begin(), beyond.end());
    std::sort(inside.begin(), inside.end(), [](const checked_group& x, const checked_group& y) { return x.u < y.u; });
    const narrowed_part guess_approved =
        widest(inside, true, b.unsure_approve_error, b.min_checked, inside.empty() ? 0.0f : inside.back().u);
    if (guess_approved.n > 0) {
        band.unsure_approve_at = guess_approved.line;
        band.unsure_approve_checked = static_cast<std::int64_t>(guess_approved.n);
        band.unsure_approve_error = guess_approved.error;
    }
    std::vector<checked_group> rest(inside.begin() + static_cast<std::ptrdiff_t>(guess_approved.n), inside.end());
    std::reverse(rest.begin(), rest.end());
    const narrowed_part guess_rejected = widest(rest, false, b.unsure_reject_error, b.min_checked, band.unsure_approve_at);
    // OWN REJECTIONS: the same scan from the top of every held-out group, with its own limit.
    std::vector<checked_group> top(inside.rbegin(), inside.rend());
    const narrowed_part own = widest(top, false, b.own_reject_error, b.min_checked, 0.0f);
    if (own.n > 0) {
        band.own_reject_at = std::max(own.line, band.reject_at);
        band.own_reject_checked = static_cast<std::int64_t>(own.n);
        band.own_reject_error = own.error;
    }
    if (guess_rejected.n > 0) {
        band.unsure_reject_at = guess_rejected.line;
        band.unsure_reject_checked = static_cast<std::int64_t>(guess_rejected.n);
        band.unsure_reject_error = guess_rejected.error;
    }
    return band;
}

std::shared_ptr<const event_correction> event_learner::fit(const triage_policy& policy) const {
    fitted all = train(policy, nullptr);
    return std::make_shared<const event_correction>(std::move(all.text_weights), all.input_weights,
                                                    bound_for(all.hostile, all.genuine),
                                                    options_.reject_at, calibrate(policy), counts(),
                                                    options_.escalation);
}

}  // namespace tribune

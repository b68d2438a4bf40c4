#pragma once
// event_prior: an event's share of hostile questions, estimated from the shipped model's
// calibrated toxicity scores alone (no labels), and the logit shift that share implies.
//
// The model. The toxicity head is calibrated to a reference class prior pi0 (the model card's
// "calibrated to a prior of"; toxicity_reference_prior below). If an event's questions are
// hostile in a share pi instead, and hostile and genuine questions otherwise look as they did
// in the calibration data, Bayes' rule moves every question's log-odds by
//   shift = logit(pi) - logit(pi0).
// pi is not known, but it is the fixed point of EM over the event's recent scores p_i
// (label-shift adaptation; Saerens, Latinne and Decaestecker, "Adjusting the outputs of a
// classifier to new a priori probabilities", Neural Computation 14(1), 2002):
//   pi <- mean_i  r p_i / (r p_i + s (1 - p_i)),   r = pi / pi0,  s = (1 - pi) / (1 - pi0).
//
// Why. Until moderators have labelled enough of an event, the per-event correction
// (event_learner.hpp) cannot move a question, and the policy's approve line, drawn for pi0,
// approves on a hostile flood hostile questions a moderator would have rejected: on the
// event_learning_sim floods (two thirds hostile), 170 to 220 hostile questions were approved
// in the first of eight waves, 28 to 50% of each flood's leak; with the shift, 31 to 91
// (docs/benchmarks.md, session 17). Later waves' leak is set by the labels (the unsure
// rule's error limits), which the shift does not touch.
//
// Bounds. The shift is only upward (a hostile event makes the lines stricter; an event
// quieter than pi0 keeps the shipped lines), at most max_shift logits, and 0 until
// min_questions scores were observed. The window is the last `window` scores, kept as a
// histogram of their log-odds (bins of 1/8 logit over [-8, 8]), so memory is fixed and an
// estimate costs bins x iterations; it is re-estimated every `every` observations.
//
// Thread safety: none; one owner serialises its use (event_learning_service keeps one per
// event under a mutex).

#include <array>
#include <cstdint>
#include <vector>

namespace tribune {

// The class prior the committed model's toxicity head is calibrated to (models/MODEL_CARD.md,
// "Thresholds": "calibrated to a prior of"). tests/classifier/triage_defaults_test.cpp checks
// that the card still says so, as it does for the default policy's lines.
inline constexpr float toxicity_reference_prior = 0.5f;

struct event_prior_options {
    float reference_prior = toxicity_reference_prior;  // pi0, in (0, 1)
    std::uint32_t window = 2000;        // the latest scores the estimate reads
    std::uint32_t min_questions = 200;  // no shift before this many
    std::uint32_t every = 100;          // re-estimated after this many new scores
    float max_shift = 1.5f;             // logits
    int iterations = 100;               // EM steps per estimate
    // The shift applies while the event's correction has fewer labelled groups than this:
    // from there its own labels decide (the unsure rule's min_labels, unsure_decision.hpp).
    std::int64_t until_labels = 100;
};

class event_prior {
public:
    explicit event_prior(event_prior_options o = {});

    // One new question's calibrated toxicity score (clamped to [0, 1]; NaN is ignored).
    void observe(float toxicity);
    // The logit shift in force: 0 .. max_shift.
    float shift() const { return shift_; }
    // The estimated share of hostile questions (pi0 until min_questions were observed).
    float estimate() const { return estimate_; }
    std::uint64_t observed() const { return observed_; }
    const event_prior_options& options() const { return options_; }

    // EM on a histogram as observe() keeps it; exposed for tests. Returns pi.
    static float estimate_share(const std::vector<float>& scores, float reference_prior, int iterations);

private:
    static constexpr int bins = 129;  // log-odds -8 .. 8 in steps of 1/8
    static int bin_of(float p);
    static float solve(const std::array<std::uint32_t, bins>& counts, std::uint64_t n, float pi0, int iterations);
    void reestimate();

    event_prior_options options_;
    std::vector<std::uint8_t> ring_;  // bin of each score in the window, oldest overwritten
    std::array<std::uint32_t, bins> counts_{};
    std::size_t next_ = 0;
    std::uint64_t observed_ = 0;
    std::uint32_t since_estimate_ = 0;
    float estimate_;
    float shift_ = 0.0f;
};

}  // namespace tribune

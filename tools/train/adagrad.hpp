#pragma once
// adagrad: what the trainers' dense parts share: seeded uniform initialisation and one AdaGrad
// step. Header-only; single-threaded use.

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace tribune::train {

// Resizes `w` to n values drawn uniformly from [-bound, bound) (53-bit draws from `rng`, in
// order) and `g2` to n zeros (its AdaGrad accumulators).
inline void init_uniform(std::vector<float>& w, std::vector<float>& g2, std::size_t n, float bound,
                         std::mt19937_64& rng) {
    w.resize(n);
    for (float& x : w) x = bound * (static_cast<float>(rng() >> 11) * (2.0f / 9007199254740992.0f) - 1.0f);
    g2.assign(n, 0.0f);
}

// One AdaGrad step of weight `w` with gradient `g` and learning rate `lr`.
inline void adagrad_step(float& w, float& g2, float g, float lr) {
    g2 += g * g;
    w -= lr * g / std::sqrt(g2 + 1e-6f);
}

}  // namespace tribune::train

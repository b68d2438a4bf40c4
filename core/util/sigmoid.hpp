#pragma once
// sigmoid: the logistic function, 1 / (1 + e^-x), in float: what turns the classifier's and
// the event correction's logits into probabilities.
//
// Thread safety: a pure function.

#include <cmath>

namespace tribune {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace tribune

#pragma once
// train_log: the trainer's progress log (stderr, with elapsed seconds) and number
// formatting for the model card. Single-threaded use.

#include <string>

namespace tribune::train {

// "[train   12.3s] msg" on stderr.
void progress(const std::string& msg);

// Fixed-point with `digits` decimals; "n/a" for negative values (metrics that could not be
// computed) and "never" for infinity (a threshold no score reaches).
std::string fmt(double v, int digits = 3);

}  // namespace tribune::train

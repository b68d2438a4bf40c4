#include "tools/train/train_log.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace tribune::train {
namespace {

using clock_type = std::chrono::steady_clock;
const auto t_start = clock_type::now();

}  // namespace

void progress(const std::string& msg) {
    const double elapsed = std::chrono::duration<double>(clock_type::now() - t_start).count();
    std::fprintf(stderr, "[train %6.1fs] %s\n", elapsed, msg.c_str());
    std::fflush(stderr);
}

std::string fmt(double v, int digits) {
    if (v < 0) return "n/a";
    if (std::isinf(v)) return "never";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace tribune::train

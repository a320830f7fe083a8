// Matrices of standard normal entries from a seed, for checking products against references.
#pragma once

#include "matrix.h"

#include <random>

namespace digitpad::testing {

inline Matrix gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    Matrix M(rows, cols);
    for (Eigen::Index k = 0; k < M.size(); ++k) M.data()[k] = n(rng);
    return M;
}

}  // namespace digitpad::testing

// The network's answer for one drawing: s(net) for the ten digits, and the best of them.
#pragma once

#include <algorithm>
#include <array>
#include <span>

namespace digitpad {

using Probabilities = std::array<float, 10>;

// The digit with the largest probability (the first of equals).
inline int best_digit(std::span<const float> probabilities) {
    return static_cast<int>(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
}

}  // namespace digitpad

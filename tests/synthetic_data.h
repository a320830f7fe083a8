// A learnable stand-in for MNIST that needs no files: each class is a fixed random pattern,
// each image that pattern plus noise.
#pragma once

#include "dataset.h"

#include <algorithm>
#include <random>

namespace digitpad::testing {

inline Dataset synthetic_digits(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 proto_rng(99), rng(seed);
    std::vector<std::vector<int>> prototypes(kClasses, std::vector<int>(kImagePixels));
    for (auto& p : prototypes)
        for (auto& v : p) v = static_cast<int>(proto_rng() % 256);
    Dataset d;
    d.name = "synthetic";
    std::normal_distribution<double> noise(0.0, 60.0);
    for (std::size_t i = 0; i < n; ++i) {
        const int label = static_cast<int>(rng() % kClasses);
        d.labels.push_back(static_cast<std::uint8_t>(label));
        for (int k = 0; k < kImagePixels; ++k)
            d.images.push_back(static_cast<std::uint8_t>(std::clamp(prototypes[label][k] + noise(rng), 0.0, 255.0)));
    }
    return d;
}

}  // namespace digitpad::testing

// How well a network does on a labelled data set.
#pragma once

#include "dataset.h"
#include "network.h"

#include <array>
#include <cstdint>
#include <vector>

namespace digitpad {

// A digit of the data set the network reads wrong.
struct Mistake {
    std::uint32_t index = 0;  // in the data set
    std::uint8_t label = 0, answer = 0;
    float confidence = 0;  // the probability the network gives its answer
};

struct Evaluation {
    double loss = 0;      // mean cross-entropy
    double accuracy = 0;  // fraction of images whose most probable class is the label
    std::array<std::array<std::uint32_t, kClasses>, kClasses> confusion{};  // [label][predicted]
    std::vector<Mistake> mistakes;  // in the data set's order
    std::size_t samples = 0;
};

// Runs the data through the network in batches of `batch` images.
Evaluation evaluate(const Network& net, const Dataset& data, std::size_t batch = 1000);

}  // namespace digitpad

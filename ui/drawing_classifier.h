// The drawing path: strokes -> canvas rendering -> MNIST-style 28×28 -> the network's guess.
#pragma once

#include "confidence_view.h"
#include "network.h"
#include "strokes.h"

#include <optional>

namespace digitpad {

struct Classification {
    DigitImage input;             // what the network saw
    Probabilities probabilities;  // s(net) for the ten digits
    int digit() const;
};

// nullopt when the drawing has (almost) no ink.
std::optional<DigitImage> network_input(const Drawing& drawing);
std::optional<Classification> classify(const Network& network, const Drawing& drawing);
Probabilities predict_digit(const Network& network, const DigitImage& input);

}  // namespace digitpad

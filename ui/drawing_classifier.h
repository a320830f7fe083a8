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

struct DrawingPathOptions {
    double pen_width = kPenWidth;  // share of the canvas side
};

// The drawing, in any units, fitted to the canvas as a person would draw it (fit_to_canvas),
// rendered with the canvas's pen and preprocessed. Fitting first makes the strokes' thickness
// relative to the digit the same however small or large it was drawn. nullopt when the
// drawing has (almost) no ink.
std::optional<DigitImage> network_input(const Drawing& drawing, const DrawingPathOptions& options = {});
std::optional<Classification> classify(const Network& network, const Drawing& drawing,
                                       const DrawingPathOptions& options = {});
Probabilities predict_digit(const Network& network, const DigitImage& input);

}  // namespace digitpad

// The drawing path: strokes -> canvas rendering -> MNIST-style 28×28 -> the network's guess.
#pragma once

#include "network.h"
#include "probabilities.h"
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

// Judged on the drawing as drawn on the canvas (unit square), before it is fitted: a click or
// a tick whose longer side is under kMinDrawnExtent of the canvas is not read as a digit.
constexpr double kMinDrawnExtent = 0.08;
bool too_small_to_read(const Drawing& canvas_drawing);

// Below this probability the best guess is shown as "not sure". On UNIPEN val it flags 18 of
// 3,002 digits (0.60%; 8 of them wrong answers of the 38). It does not catch most non-digits:
// an X, a # or a letter still get a confident digit (README, "Using the app").
constexpr float kSureEnough = 0.6f;

}  // namespace digitpad

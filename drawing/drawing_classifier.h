// The drawing path: strokes -> canvas rendering -> MNIST-style 28×28 -> the network's guess.
#pragma once

#include "familiarity.h"
#include "network.h"
#include "probabilities.h"
#include "strokes.h"

#include <optional>

namespace digitpad {

struct Classification {
    DigitImage input;             // what the network saw
    Probabilities probabilities;  // s(net) for the ten digits
    double energy = 0;            // of its logits: how unlike the digits it knows (familiarity.h)
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
// `drawn` deskewed as the network was trained (Network::deskew): Classification::input is what it read.
Classification read_input(const Network& network, const DigitImage& drawn);
Probabilities predict_digit(const Network& network, const DigitImage& input);

// Judged on the drawing as drawn on the canvas (unit square), before it is fitted: a click or
// a tick whose longer side is under kMinDrawnExtent of the canvas is not read as a digit.
constexpr double kMinDrawnExtent = 0.08;
bool too_small_to_read(const Drawing& canvas_drawing);

// Below this probability the best guess is shown as "not sure"; so it is when the input is
// unfamiliar (familiarity.h), which catches most letters and scribbles that softmax is sure of.
// Figures: docs/accuracy.md, "Not a digit".
constexpr float kSureEnough = 0.6f;
bool sure(const Classification& c, const Familiarity& familiarity);

}  // namespace digitpad

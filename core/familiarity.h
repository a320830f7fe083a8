// Does an input look like the digits a network knows? Softmax confidence cannot say: a
// network trained only on digits reads an H as a 4 at 99.9%. The energy of its logits,
//   E(x) = −log Σ_k exp(net_k)
// (Liu, Wang, Owens and Li, "Energy-based Out-of-distribution Detection", NeurIPS 2020), is
// low on the kind of inputs the network was trained on and higher on what it never saw. The
// line is drawn for each network: the energy that kFamiliarShare of a set of known digits stay
// at or under. Measured figures: docs/accuracy.md, "Not a digit".
#pragma once

#include "dataset.h"
#include "network.h"

#include <atomic>
#include <limits>
#include <span>

namespace digitpad {

// E(x) of one input's logits, computed without overflow.
double energy(std::span<const float> logits);

struct Familiarity {
    double max_energy = std::numeric_limits<double>::infinity();  // the line; none by default
    bool familiar(double e) const { return e <= max_energy; }
};

// The share of known digits that stay familiar.
constexpr double kFamiliarShare = 0.99;

// Draws the line for `network` on `digits` (at least one): the smallest energy that a share
// `share` of them is at or under. On the calling thread alone; when `cancel` is set and turns
// true, it stops within an image and returns no line.
Familiarity calibrate_familiarity(const Network& network, const Dataset& digits, double share = kFamiliarShare,
                                  const std::atomic<bool>* cancel = nullptr);

}  // namespace digitpad

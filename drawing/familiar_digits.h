// Where the app draws the line between digits and the rest (familiarity.h) for a network: on
// the built-in rehearsal digits, scans and drawings of every digit that ship with the app.
#pragma once

#include "familiarity.h"

namespace digitpad {

// Calibrates on all the built-in rehearsal digits (loaded once, on first use), on the calling
// thread: about 50 ms for the 784-800-10 network (docs/accuracy.md, "Not a digit").
// `cancel` as calibrate_familiarity's.
Familiarity builtin_familiarity(const Network& network, const std::atomic<bool>* cancel = nullptr);

}  // namespace digitpad

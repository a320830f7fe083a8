// Distortions of a drawing in stroke space, applied to its vectors before it is rendered: the
// ways one person's digit differs from another's (rotation, slant, aspect, a wobbly hand,
// smooth warps of the whole shape, a thicker or thinner pen, a lead-in stroke or a tail drawn
// longer or cut short, strokes joined where another writer lifts the pen).
#pragma once

#include "strokes.h"

#include <random>

namespace digitpad {

struct StrokeAugmentOptions {
    double rotation_degrees = 8;  // uniform in ±
    double slant = 0.25;          // x += slant · (y − centre), uniform in ±
    double aspect = 0.2;          // the width scaled by e^u, u uniform in ±aspect
    double jitter = 0.004;        // per-point Gaussian noise, σ in canvas units (the digit is 0.7 tall)
    double warp = 0.025;          // smooth displacement field's amplitude, canvas units
    double pen_width = 0.25;      // the pen's width scaled by e^u, u uniform in ±
    double ends = 0.2;            // the first stroke's start and the last one's end cut or drawn
                                  // on by up to this share of the stroke's length
    double join = 0.1;            // the chance that two successive strokes are drawn as one

    // Every distortion scaled by s (s = 1: these; s = 0: none).
    StrokeAugmentOptions scaled(double s) const {
        StrokeAugmentOptions o = *this;
        o.rotation_degrees *= s, o.slant *= s, o.aspect *= s, o.jitter *= s, o.warp *= s, o.pen_width *= s,
            o.ends *= s, o.join *= s;
        return o;
    }
};

struct DistortedDrawing {
    Drawing drawing;  // fitted to the canvas (fit_to_canvas), then distorted
    double pen_width;
};

// One random distortion of `drawing` (any units), drawing from `rng`. With every option 0 it
// returns the drawing as given and the canvas's pen.
DistortedDrawing distort_drawing(const Drawing& drawing, const StrokeAugmentOptions& options, std::mt19937_64& rng);

}  // namespace digitpad

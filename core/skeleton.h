// A digit's ink as the pen strokes that could have drawn it: the image is thinned to a
// one-pixel skeleton (Zhang and Suen, 1984) and the skeleton is traced into polylines.
// The project uses it to turn scanned digits into stroke drawings for its drawn-digit tests.
#pragma once

#include "preprocess.h"

#include <array>
#include <vector>

namespace digitpad {

using Polyline = std::vector<std::array<double, 2>>;  // (x, y) in input pixels, y down

struct SkeletonOptions {
    int upscale = 4;          // thin at this many times the input resolution, for smoother lines
    double threshold = 0.4;   // ink above this share of full intensity is part of a stroke
    double tolerance = 0.35;  // Douglas–Peucker simplification, in input pixels
};

// Binary image (1 = ink) thinned in place to one-pixel-wide 8-connected lines.
void thin(std::vector<std::uint8_t>& binary, int width, int height);

// Polylines through the skeleton of the ink, in the input image's pixel coordinates.
std::vector<Polyline> trace_strokes(const GreyImage& image, const SkeletonOptions& options = {});

}  // namespace digitpad

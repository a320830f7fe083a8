// Deskewing: a digit's slant taken out before the network reads it, the classic step of
// LeCun's table. The slant is the one the image's second moments give, α = μ11/μ02 (how far x
// moves per row, rows counted downward), and the image is sheared along x about its centre of
// mass by a share `strength` of it (1: upright), linear between the two nearest pixels of a row.
// With a `trim`, the moments are those of the rows between the first and the last `trim` of
// the ink, from the top and from the bottom: a 1's flag and a 9's tail, which lean the whole
// digit's moments, then do not count (0: every row). A network trained on deskewed inputs keeps
// both with its weights (Network::deskew), and every reader of it (a drawing, a test set, a
// training batch) deskews by them.
#pragma once

#include "matrix.h"

#include <span>

namespace digitpad {

// α of a side × side image: 0 when it has no ink or no spread over the rows.
double slant(std::span<const float> image, double trim = 0, int side = 28);

// In place; strength 0 leaves the image as it is.
void deskew(std::span<float> image, double strength, double trim = 0, int side = 28);

// Every row of a batch of 28×28 images (B × 784), as a network of this deskew reads them.
void deskew_rows(Matrix& images, double strength, double trim = 0);

}  // namespace digitpad

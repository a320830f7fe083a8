// Deskewing: a digit's slant taken out before the network reads it, the classic step of
// LeCun's table. The slant is the one the image's second moments give, α = μ11/μ02 (how far x
// moves per row, rows counted downward), and the image is sheared along x about its centre of
// mass by a share `strength` of it (1: upright), linear between the two nearest pixels of a row.
// A network trained on deskewed inputs keeps the strength with its weights (Network::deskew),
// and every reader of it (a drawing, a test set, a training batch) deskews by it.
#pragma once

#include "matrix.h"

#include <span>

namespace digitpad {

// α of a side × side image: 0 when it has no ink or no spread over the rows.
double slant(std::span<const float> image, int side = 28);

// In place; strength 0 leaves the image as it is.
void deskew(std::span<float> image, double strength, int side = 28);

// Every row of a batch of 28×28 images (B × 784), as a network of this deskew reads them.
void deskew_rows(Matrix& images, double strength);

}  // namespace digitpad

// Between Qt images and the core's Qt-free grey images.
#pragma once

#include "preprocess.h"

#include <QImage>

#include <array>
#include <cstdint>
#include <optional>

namespace digitpad {

// Ink becomes 255 and background 0 whichever way round the picture is: a light border means
// dark ink on a light ground, which is inverted. Transparent pixels count as background.
GreyImage grey_image_from(const QImage& image);

// What the network should see for a picture: a 28×28 image on a dark ground is taken as
// MNIST-style and used as it is; anything else has its paper taken out (remove_background)
// and goes through preprocess(). nullopt if blank.
std::optional<DigitImage> network_input_from_image(const QImage& image);

// The 28×28 network input as bytes, round(255 · value): as pictures and training data hold it.
std::array<std::uint8_t, 28 * 28> input_bytes(const DigitImage& digit);

// The 28×28 network input as a picture (white ink on black), for previews and reports.
QImage image_from_digit(const DigitImage& digit);

}  // namespace digitpad

// A drawn grey image -> the 28×28 input the network expects, made the way MNIST itself was
// made: crop to the ink, scale the longer side to 20 pixels keeping the aspect ratio (area
// averaging), and place the result in 28×28 so that its centre of mass sits at the centre.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace digitpad {

struct GreyImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, 0 = background, 255 = ink
};

using DigitImage = std::array<float, 28 * 28>;  // values in [0, 1], row-major

struct PreprocessOptions {
    int box = 20;                     // the longer side of the ink after scaling
    double min_ink_fraction = 0.002;  // less ink than this share of the image counts as empty
};

// A photo or scan (ink already the bright side) with its paper taken out: Otsu's threshold
// splits the histogram into paper and ink, and the levels are stretched so that the paper's
// mean becomes 0 and the ink's mean 255. An image whose paper is already black (a drawing,
// MNIST) comes back unchanged.
GreyImage remove_background(const GreyImage& image);

// Otsu's threshold of a histogram of 256 levels: the level t that best separates the values
// below t from those at t and above (the largest between-class variance).
int otsu_threshold(const std::array<std::uint64_t, 256>& histogram);

// nullopt when the image holds (almost) no ink: there is nothing to classify.
std::optional<DigitImage> preprocess(const GreyImage& image, const PreprocessOptions& options = {});

// Area-averaging resample of a w×h float image to dw×dh: every output pixel is the mean of
// the input area it covers, so thin strokes fade rather than vanish when shrunk.
std::vector<float> resample_area(const std::vector<float>& src, int w, int h, int dw, int dh);

// Centre of mass in pixel-index coordinates (the centre of pixel (i, j) is (i, j)).
std::array<double, 2> centre_of_mass(const float* pixels, int w, int h);

}  // namespace digitpad

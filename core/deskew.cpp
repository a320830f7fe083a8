#include "deskew.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>
#include <vector>

namespace digitpad {
namespace {

// The rows [y0, y1) the slant is measured on: all of them, or with a trim those left when the
// rows holding the first `trim` of the ink from the top, and those from the bottom, are set
// aside (all of them where that would leave none).
std::pair<int, int> measured_rows(std::span<const float> image, double trim, int side) {
    if (trim <= 0) return {0, side};
    std::vector<double> ink(static_cast<std::size_t>(side));  // of each row
    double total = 0;
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) ink[static_cast<std::size_t>(y)] += image[static_cast<std::size_t>(y * side + x)];
        total += ink[static_cast<std::size_t>(y)];
    }
    int y0 = 0, y1 = side;
    for (double above = 0; y0 < side && above + ink[static_cast<std::size_t>(y0)] < trim * total;)
        above += ink[static_cast<std::size_t>(y0++)];
    for (double below = 0; y1 > 0 && below + ink[static_cast<std::size_t>(y1 - 1)] < trim * total;)
        below += ink[static_cast<std::size_t>(--y1)];
    if (y1 <= y0) return {0, side};
    return {y0, y1};
}

// The centre of mass's row and the central moments μ11 and μ02 of those rows, from the raw
// sums of one pass over them (each row summed in float, the rows in double):
// μ11 = Σpxy − Σpx·Σpy/m.
struct Moments {
    double mass = 0, cy = 0, mu11 = 0, mu02 = 0;
};

Moments moments(std::span<const float> image, double trim, int side) {
    double m = 0, sx = 0, sy = 0, sxy = 0, syy = 0;
    const auto [y0, y1] = measured_rows(image, trim, side);
    for (int y = y0; y < y1; ++y) {
        const float* row = image.data() + static_cast<std::ptrdiff_t>(y) * side;
        float ink = 0, ink_x = 0;
        for (int x = 0; x < side; ++x) ink += row[x], ink_x += row[x] * static_cast<float>(x);
        m += ink;
        sx += ink_x;
        sy += double(y) * ink;
        sxy += double(y) * ink_x;
        syy += double(y) * y * ink;
    }
    Moments out;
    if (m <= 0) return out;
    out.mass = m;
    out.cy = sy / m;
    out.mu11 = sxy - sx * sy / m;
    out.mu02 = syy - sy * sy / m;
    return out;
}

double slant_of(const Moments& m) { return m.mass > 0 && m.mu02 > 1e-9 * m.mass ? m.mu11 / m.mu02 : 0.0; }

}  // namespace

double slant(std::span<const float> image, double trim, int side) {
    assert(image.size() == static_cast<std::size_t>(side * side));
    return slant_of(moments(image, trim, side));
}

void deskew(std::span<float> image, double strength, double trim, int side) {
    assert(image.size() == static_cast<std::size_t>(side * side));
    if (strength == 0) return;
    const Moments m = moments(image, trim, side);
    const double shear = strength * slant_of(m);
    if (shear == 0) return;
    // Row y of the result is row y of the image read from x + shear·(y − cy): ink at
    // x = cx + α·(y − cy) comes to cx when strength is 1. Each row is read from a copy with
    // background on both sides, as wide as the largest shift.
    const int pad = 2 * side + 1;
    std::vector<float> padded(static_cast<std::size_t>(side + 2 * pad), 0.0f);
    for (int y = 0; y < side; ++y) {
        float* line = image.data() + static_cast<std::ptrdiff_t>(y) * side;
        // Past the image's width a shift reads only background: bounded, it stays an int.
        const double shift = std::clamp(shear * (y - m.cy), -2.0 * side, 2.0 * side);
        const double whole = std::floor(shift);
        const auto w = static_cast<float>(shift - whole);  // the share of the right-hand pixel
        std::copy(line, line + side, padded.begin() + pad);
        const float* from = padded.data() + pad + static_cast<int>(whole);
        for (int x = 0; x < side; ++x) line[x] = (1 - w) * from[x] + w * from[x + 1];
    }
}

void deskew_rows(Matrix& images, double strength, double trim) {
    if (strength == 0) return;
    for (Eigen::Index r = 0; r < images.rows(); ++r)
        deskew(std::span<float>(images.row(r).data(), static_cast<std::size_t>(images.cols())), strength, trim);
}

}  // namespace digitpad

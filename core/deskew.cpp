#include "deskew.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

namespace digitpad {
namespace {

// The centre of mass's row and the central moments μ11 and μ02, from the raw sums of one pass
// over the rows (each row summed in float, the rows in double): μ11 = Σpxy − Σpx·Σpy/m. With
// a trim, of the rows [y0, y1) left when the rows holding the first `trim` of the ink from the
// top, and those from the bottom, are set aside (all of them where that leaves none).
struct Moments {
    double mass = 0, cy = 0, mu11 = 0, mu02 = 0;
};

Moments moments(std::span<const float> image, double trim, int side) {
    double m = 0, sx = 0, sy = 0, sxy = 0, syy = 0;
    int y0 = 0, y1 = side;
    if (trim > 0) {
        std::vector<double> rows(static_cast<std::size_t>(side));
        double total = 0;
        for (int y = 0; y < side; ++y) {
            for (int x = 0; x < side; ++x) rows[static_cast<std::size_t>(y)] += image[static_cast<std::size_t>(y * side + x)];
            total += rows[static_cast<std::size_t>(y)];
        }
        for (double c = 0; y0 < side && c + rows[static_cast<std::size_t>(y0)] < trim * total;)
            c += rows[static_cast<std::size_t>(y0++)];
        for (double c = 0; y1 > 0 && c + rows[static_cast<std::size_t>(y1 - 1)] < trim * total;)
            c += rows[static_cast<std::size_t>(--y1)];
        if (y1 <= y0) y0 = 0, y1 = side;
    }
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

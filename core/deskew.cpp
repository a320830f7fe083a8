#include "deskew.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

namespace digitpad {
namespace {

struct Moments {
    double mass = 0, cy = 0, mu11 = 0, mu02 = 0;
};

Moments moments(std::span<const float> image, int side) {
    Moments m;
    double sx = 0, sy = 0;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const double p = image[static_cast<std::size_t>(y * side + x)];
            m.mass += p;
            sx += p * x;
            sy += p * y;
        }
    if (m.mass <= 0) return m;
    const double cx = sx / m.mass;
    m.cy = sy / m.mass;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const double p = image[static_cast<std::size_t>(y * side + x)];
            m.mu11 += p * (x - cx) * (y - m.cy);
            m.mu02 += p * (y - m.cy) * (y - m.cy);
        }
    return m;
}

double slant_of(const Moments& m) { return m.mass > 0 && m.mu02 > 1e-9 * m.mass ? m.mu11 / m.mu02 : 0.0; }

}  // namespace

double slant(std::span<const float> image, int side) {
    assert(image.size() == static_cast<std::size_t>(side * side));
    return slant_of(moments(image, side));
}

void deskew(std::span<float> image, double strength, int side) {
    assert(image.size() == static_cast<std::size_t>(side * side));
    if (strength == 0) return;
    const Moments m = moments(image, side);
    const double shear = strength * slant_of(m);
    if (shear == 0) return;
    // Row y of the result is row y of the image read from x + shear·(y − cy): ink at
    // x = cx + α·(y − cy) comes to cx when strength is 1.
    std::vector<float> row(static_cast<std::size_t>(side));
    for (int y = 0; y < side; ++y) {
        float* line = image.data() + static_cast<std::ptrdiff_t>(y) * side;
        // Past the image's width a shift reads only background: bounded, it stays an int.
        const double shift = std::clamp(shear * (y - m.cy), -2.0 * side, 2.0 * side);
        const double whole = std::floor(shift);
        const auto w = static_cast<float>(shift - whole);  // the share of the right-hand pixel
        const int offset = static_cast<int>(whole);
        auto at = [&](int x) { return x >= 0 && x < side ? line[x] : 0.0f; };
        for (int x = 0; x < side; ++x) row[static_cast<std::size_t>(x)] = (1 - w) * at(x + offset) + w * at(x + offset + 1);
        std::copy(row.begin(), row.end(), line);
    }
}

void deskew_rows(Matrix& images, double strength) {
    if (strength == 0) return;
    for (Eigen::Index r = 0; r < images.rows(); ++r)
        deskew(std::span<float>(images.row(r).data(), static_cast<std::size_t>(images.cols())), strength);
}

}  // namespace digitpad

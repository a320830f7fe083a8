// A training digit's distortion (core/augment.h) once its random parameters are drawn, for one
// instruction set: compiled beside kernels.cpp, once per set and under the same rules (see
// there), but without contraction (core/CMakeLists.txt): every a·b + c rounds twice, as in the
// x86-64 baseline's scalar code, so that each set distorts a digit to the same bits.
#include "kernels.h"

#include "lanes.h"

namespace digitpad::DIGITPAD_KERNELS_NS {

namespace {

using kernel::Index;
constexpr int N = 28;     // the image's side (dataset.h's kImageSide; augment.cpp checks)
constexpr int P = N + 3;  // the padded source: pixel (x, y) at (x + 1, y + 1) in a zero border

using Ints = int __attribute__((vector_size(sizeof(Lanes))));

template <typename V>
V iota() {
    V v;
    for (int i = 0; i < kLanes; ++i) v[i] = i;
    return v;
}

// The 3×3 grey dilation (`larger`: the larger of two) or erosion of the source's 28×28 pixels,
// then src ← src + w·(morph − src), as std::max and std::min pick.
template <bool larger>
void thicken(float* src, float w) {
    auto pick = [](float a, float b) {
        if constexpr (larger)
            return a < b ? b : a;
        else
            return b < a ? b : a;
    };
    float rows[P * P] = {}, morph[P * P] = {};
    for (int y = 1; y <= N; ++y)
        for (int x = 1; x <= N; ++x) rows[y * P + x] = pick(pick(src[y * P + x - 1], src[y * P + x]), src[y * P + x + 1]);
    for (int y = 1; y <= N; ++y)
        for (int x = 1; x <= N; ++x) morph[y * P + x] = pick(pick(rows[(y - 1) * P + x], rows[y * P + x]), rows[(y + 1) * P + x]);
    for (int y = 1; y <= N; ++y)
        for (int x = 1; x <= N; ++x) src[y * P + x] += w * (morph[y * P + x] - src[y * P + x]);
}

}  // namespace

void distort_digit(const std::uint8_t* image, const kernel::Distortion& d, float* out) {
    float src[P * P] = {};
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) src[(y + 1) * P + x + 1] = image[y * N + x] * (1.0f / 255);
    if (d.thickness > 0) thicken<true>(src, d.thickness);
    if (d.thickness < 0) thicken<false>(src, -d.thickness);

    // The field as this output reads it: output pixel i's displacement at (ex[i], ey[i]).
    float ex[N * N], ey[N * N];
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) {
            const Index f = d.origin + x * d.step_x + y * d.step_y;
            ex[y * N + x] = d.field_x[f];
            ey[y * N + x] = d.field_y[f];
        }

    // Each output pixel p reads the source bilinearly at A⁻¹(p − c − shift) + c + field(p),
    // clamped to [−1, 28]. The positions a register of pixels along a row at a time (the last
    // of a row overlapping the one before where the lanes do not divide 28), then the reads and
    // the blend pixel by pixel: faster than the CPUs' gathers, and no slower elsewhere.
    constexpr float centre = (N - 1) / 2.0f;
    const float i00 = d.inverse[0], i01 = d.inverse[1], i10 = d.inverse[2], i11 = d.inverse[3];
    float wx[N], wy[N];  // a row's bilinear weights
    int corner[N];       // and the source index of each pixel's top-left neighbour
    for (int y = 0; y < N; ++y) {
        const float py = static_cast<float>(y) - centre - d.shift_y;
        for (int x0 = 0; x0 < N; x0 += kLanes) {
            const int x = x0 + kLanes <= N ? x0 : N - kLanes;
            const Lanes px = __builtin_convertvector(iota<Ints>() + x, Lanes) - centre - d.shift_x;
            Lanes sx = i00 * px + i01 * py + centre + load<Lanes>(ex + y * N + x);
            Lanes sy = i10 * px + i11 * py + centre + load<Lanes>(ey + y * N + x);
            sx = sx < -1.0f ? Lanes{} - 1.0f : sx;
            sx = static_cast<float>(N) < sx ? Lanes{} + static_cast<float>(N) : sx;
            sy = sy < -1.0f ? Lanes{} - 1.0f : sy;
            sy = static_cast<float>(N) < sy ? Lanes{} + static_cast<float>(N) : sy;
            // floor: truncation, one less where that rounded up (sx < 0).
            Ints ix = __builtin_convertvector(sx, Ints), iy = __builtin_convertvector(sy, Ints);
            ix += sx < __builtin_convertvector(ix, Lanes);
            iy += sy < __builtin_convertvector(iy, Lanes);
            store(wx + x, sx - __builtin_convertvector(ix, Lanes));
            store(wy + x, sy - __builtin_convertvector(iy, Lanes));
            const Ints q = (iy + 1) * P + ix + 1;
            std::memcpy(corner + x, &q, sizeof q);
        }
        for (int x = 0; x < N; ++x) {
            const float* q = src + corner[x];
            const float ax = wx[x], ay = wy[x];
            out[y * N + x] = (1 - ay) * ((1 - ax) * q[0] + ax * q[1]) + ay * ((1 - ax) * q[P] + ax * q[P + 1]);
        }
    }
}

}  // namespace digitpad::DIGITPAD_KERNELS_NS

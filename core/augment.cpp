#include "augment.h"

#include "threads.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace digitpad {
namespace {

constexpr int N = kImageSide;

// Separable Gaussian blur of an N×N field, clamped at the edges.
void gaussian_blur(std::vector<double>& f, double sigma) {
    const int r = static_cast<int>(std::ceil(3 * sigma));
    std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
    double sum = 0;
    for (int i = -r; i <= r; ++i) sum += k[static_cast<std::size_t>(i + r)] = std::exp(-0.5 * i * i / (sigma * sigma));
    for (double& v : k) v /= sum;
    std::vector<double> tmp(f.size());
    for (int pass = 0; pass < 2; ++pass) {
        for (int y = 0; y < N; ++y)
            for (int x = 0; x < N; ++x) {
                double acc = 0;
                for (int i = -r; i <= r; ++i) {
                    const int xx = std::clamp(pass == 0 ? x + i : x, 0, N - 1), yy = std::clamp(pass == 0 ? y : y + i, 0, N - 1);
                    acc += k[static_cast<std::size_t>(i + r)] * f[static_cast<std::size_t>(yy * N + xx)];
                }
                tmp[static_cast<std::size_t>(y * N + x)] = acc;
            }
        f.swap(tmp);
    }
}

}  // namespace

Augmenter::Augmenter(const AugmentOptions& options, std::uint64_t seed, int field_bank)
    : options_(options), bank_(field_bank) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    fields_.resize(static_cast<std::size_t>(bank_) * 2 * N * N);
    std::vector<double> f(N * N);
    for (int b = 0; b < bank_; ++b)
        for (int c = 0; c < 2; ++c) {
            for (double& v : f) v = u(rng);
            gaussian_blur(f, options_.elastic_sigma);
            for (int i = 0; i < N * N; ++i)
                fields_[(static_cast<std::size_t>(b) * 2 + c) * N * N + static_cast<std::size_t>(i)] =
                    static_cast<float>(options_.elastic_alpha * f[static_cast<std::size_t>(i)]);
        }
}

void Augmenter::distort(std::span<const std::uint8_t> image, float* out, std::mt19937_64& rng) const {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f), unit(0.0f, 1.0f);
    const AugmentOptions& o = options_;

    // The source with a zero border: P×P, pixel (x, y) at (x + 1, y + 1), so that bilinear
    // reads anywhere in [−1, 28] need no bounds checks.
    constexpr int P = N + 3;
    float src[P * P] = {};
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) src[(y + 1) * P + x + 1] = image[static_cast<std::size_t>(y * N + x)] * (1.0f / 255);

    // Thickness: blend towards the 3×3 grey dilation (thicker, t > 0) or erosion (thinner).
    const float t = o.thicken > 0 ? static_cast<float>(o.thicken) * (-0.5f + 1.5f * unit(rng)) : 0.0f;
    if (t != 0) {
        float rows[P * P] = {}, morph[P * P] = {};
        auto pick = [t](float a, float b) { return t > 0 ? std::max(a, b) : std::min(a, b); };
        for (int y = 1; y <= N; ++y)
            for (int x = 1; x <= N; ++x) rows[y * P + x] = pick(pick(src[y * P + x - 1], src[y * P + x]), src[y * P + x + 1]);
        for (int y = 1; y <= N; ++y)
            for (int x = 1; x <= N; ++x) morph[y * P + x] = pick(pick(rows[(y - 1) * P + x], rows[y * P + x]), rows[(y + 1) * P + x]);
        const float w = std::abs(t);
        for (int y = 1; y <= N; ++y)
            for (int x = 1; x <= N; ++x) src[y * P + x] += w * (morph[y * P + x] - src[y * P + x]);
    }

    // Inverse map from output pixel to source position: p_src = A⁻¹(p − c − t) + c + field(p),
    // with A = rotation · scale · shear.
    const float angle = static_cast<float>(o.rotation_degrees * std::numbers::pi / 180) * u(rng);
    const float scale = static_cast<float>(o.scale_min + (o.scale_max - o.scale_min) * unit(rng));
    const float shear = static_cast<float>(o.shear) * u(rng);
    const float tx = static_cast<float>(o.translate) * u(rng), ty = static_cast<float>(o.translate) * u(rng);
    const float c = std::cos(angle), s = std::sin(angle);
    const float a00 = scale * c, a01 = scale * (c * shear - s), a10 = scale * s, a11 = scale * (s * shear + c);
    const float det = a00 * a11 - a01 * a10;
    const float i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;
    constexpr float centre = (N - 1) / 2.0f;

    const std::size_t b = rng() % static_cast<std::size_t>(bank_);
    const int orientation = static_cast<int>(rng() % 8);  // flips and transposition of the field
    const float* fx = &fields_[(b * 2 + 0) * N * N];
    const float* fy = &fields_[(b * 2 + 1) * N * N];
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) {
            int qx = (orientation & 1) ? N - 1 - x : x, qy = (orientation & 2) ? N - 1 - y : y;
            if (orientation & 4) std::swap(qx, qy);
            const float ex = (orientation & 4) ? fy[qy * N + qx] : fx[qy * N + qx];
            const float ey = (orientation & 4) ? fx[qy * N + qx] : fy[qy * N + qx];
            const float px = static_cast<float>(x) - centre - tx, py = static_cast<float>(y) - centre - ty;
            const float sx = std::clamp(i00 * px + i01 * py + centre + ex, -1.0f, static_cast<float>(N));
            const float sy = std::clamp(i10 * px + i11 * py + centre + ey, -1.0f, static_cast<float>(N));
            const float fx0 = std::floor(sx), fy0 = std::floor(sy);
            const float ax = sx - fx0, ay = sy - fy0;
            const float* q = &src[(static_cast<int>(fy0) + 1) * P + static_cast<int>(fx0) + 1];
            out[y * N + x] = (1 - ay) * ((1 - ax) * q[0] + ax * q[1]) + ay * ((1 - ax) * q[P] + ax * q[P + 1]);
        }
}

void gather_augmented_batch(const Dataset& data, std::span<const std::uint32_t> indices, const Augmenter& augmenter,
                            std::uint64_t seed, Matrix& X, std::vector<std::uint8_t>& y) {
    X.resize(static_cast<Eigen::Index>(indices.size()), kImagePixels);
    y.resize(indices.size());
    gather_augmented_rows(data, indices, augmenter, seed, X, y, 0);
}

void gather_augmented_rows(const Dataset& data, std::span<const std::uint32_t> indices, const Augmenter& augmenter,
                           std::uint64_t seed, Matrix& X, std::vector<std::uint8_t>& y, std::size_t first_row) {
    on_shares(indices.size(), [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            const std::size_t r = first_row + i;
            // Each image its own stream: the batch is the same however it is shared out.
            std::mt19937_64 rng(seed ^ ((r + 1) * 0x9E3779B97F4A7C15ull));
            augmenter.distort(data.image(indices[i]), X.row(static_cast<Eigen::Index>(r)).data(), rng);
            y[r] = data.labels[indices[i]];
        }
    });
}

}  // namespace digitpad

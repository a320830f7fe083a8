#include "augment.h"

#include "engine/kernels.h"
#include "threads.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace digitpad {
namespace {

constexpr int N = kImageSide;
static_assert(N == 28, "the distortion kernel (engine/distort_kernel.cpp) is for 28×28 digits");

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

void Augmenter::distort(std::span<const std::uint8_t> image, float* out, FirstDraws& rng) const {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f), unit(0.0f, 1.0f);
    const AugmentOptions& o = options_;
    kernel::Distortion d{};

    // Thickness: blend towards the 3×3 grey dilation (thicker, t > 0) or erosion (thinner).
    d.thickness = o.thicken > 0 ? static_cast<float>(o.thicken) * (-0.5f + 1.5f * unit(rng)) : 0.0f;

    // Inverse map from output pixel to source position: p_src = A⁻¹(p − c − t) + c + field(p),
    // with A = rotation · scale · shear.
    const float angle = static_cast<float>(o.rotation_degrees * std::numbers::pi / 180) * u(rng);
    const float scale = static_cast<float>(o.scale_min + (o.scale_max - o.scale_min) * unit(rng));
    const float shear = static_cast<float>(o.shear) * u(rng);
    d.shift_x = static_cast<float>(o.translate) * u(rng);
    d.shift_y = static_cast<float>(o.translate) * u(rng);
    const float c = std::cos(angle), s = std::sin(angle);
    const float a00 = scale * c, a01 = scale * (c * shear - s), a10 = scale * s, a11 = scale * (s * shear + c);
    const float det = a00 * a11 - a01 * a10;
    d.inverse[0] = a11 / det, d.inverse[1] = -a01 / det, d.inverse[2] = -a10 / det, d.inverse[3] = a00 / det;

    const std::size_t b = rng() % static_cast<std::size_t>(bank_);
    const FieldOrientation f = orient_field(static_cast<int>(rng() % 8));
    const float* fx = &fields_[(b * 2 + 0) * N * N];
    const float* fy = &fields_[(b * 2 + 1) * N * N];
    d.field_x = f.swap ? fy : fx;
    d.field_y = f.swap ? fx : fy;
    d.origin = f.origin, d.step_x = f.step_x, d.step_y = f.step_y;
    kernels().distort_digit(image.data(), d, out);
}

FieldOrientation orient_field(int orientation) {
    // Flipped, pixel (x, y) reads (qx, qy) = (x or 27 − x, y or 27 − y): qy·28 + qx, or qx·28 + qy
    // transposed.
    const bool flip_x = orientation & 1, flip_y = orientation & 2, transpose = orientation & 4;
    const std::ptrdiff_t x_start = flip_x ? N - 1 : 0, y_start = flip_y ? N - 1 : 0;
    const std::ptrdiff_t x_step = flip_x ? -1 : 1, y_step = flip_y ? -1 : 1;
    if (transpose) return {x_start * N + y_start, x_step * N, y_step, true};
    return {y_start * N + x_start, x_step, y_step * N, false};
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
            FirstDraws rng(seed ^ ((r + 1) * 0x9E3779B97F4A7C15ull));
            augmenter.distort(data.image(indices[i]), X.row(static_cast<Eigen::Index>(r)).data(), rng);
            y[r] = data.labels[indices[i]];
        }
    });
}

}  // namespace digitpad

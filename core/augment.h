// Random distortions of training digits, made fresh for every batch: an affine map
// (rotation, scale, shear, translation), an elastic field (Simard, Steinkraus and Platt,
// 2003: Gaussian-smoothed random displacements) and a change of stroke thickness.
#pragma once

#include "dataset.h"
#include "first_draws.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace digitpad {

// The defaults are 0.6 times the ranges the issue started from (rotation ±12°, scale
// 0.85-1.15, shear ±0.25, translation ±2 px, Simard's α = 34, thickness 0.5): of strengths
// 0.4, 0.6 and 1, 0.6 did best on the 5,000 held-out training images, scanned and drawn.
struct AugmentOptions {
    double rotation_degrees = 7.2;  // uniform in ±
    double scale_min = 0.91, scale_max = 1.09;
    double shear = 0.15;            // x += shear·y, uniform in ±
    double translate = 1.2;         // pixels, uniform in ±
    double elastic_alpha = 20.4;    // Simard's α: field scale
    double elastic_sigma = 4;       // Simard's σ: smoothing of the field, pixels
    double thicken = 0.3;           // stroke thickness change t uniform in [−thicken/2, thicken]

    // Every distortion scaled by s (s = 1: these defaults; s = 0: none).
    AugmentOptions scaled(double s) const {
        AugmentOptions o = *this;
        o.rotation_degrees *= s, o.shear *= s, o.translate *= s, o.elastic_alpha *= s, o.thicken *= s;
        o.scale_min = 1 - (1 - scale_min) * s, o.scale_max = 1 + (scale_max - 1) * s;
        return o;
    }
};

class Augmenter {
public:
    // The elastic fields come from a bank made once from `seed`; each image takes one at random
    // in one of its eight orientations, so fields cost nothing per image.
    explicit Augmenter(const AugmentOptions& options, std::uint64_t seed = 1, int field_bank = 256);

    // Distorts one 28×28 image (bytes) into `out` (784 floats in [0, 1]), drawing from `rng`.
    void distort(std::span<const std::uint8_t> image, float* out, FirstDraws& rng) const;

    const AugmentOptions& options() const { return options_; }

private:
    AugmentOptions options_;
    std::vector<float> fields_;  // bank × 2 × 784 displacements (dx, dy), in pixels
    int bank_;
};

// Where output pixel (x, y) reads an elastic field of the bank in one of its eight orientations
// (flipped in x: bit 0; in y: bit 1; then transposed: bit 2): at origin + x·step_x + y·step_y
// of the 28×28 field, its x and y components swapped when transposed.
struct FieldOrientation {
    std::ptrdiff_t origin, step_x, step_y;
    bool swap;
};
FieldOrientation orient_field(int orientation);

// Like gather_batch, but every image distorted, the images shared out among the compute
// threads (on_shares: call it from the training thread). The batch's randomness comes from
// `seed` alone, so a run is reproducible whatever the thread count.
void gather_augmented_batch(const Dataset& data, std::span<const std::uint32_t> indices, const Augmenter& augmenter,
                            std::uint64_t seed, Matrix& X, std::vector<std::uint8_t>& y);

// The same into rows first_row… of X and y, which already have room for them; row r of the
// batch draws from the same stream as it would in a batch of its own at that row.
void gather_augmented_rows(const Dataset& data, std::span<const std::uint32_t> indices, const Augmenter& augmenter,
                           std::uint64_t seed, Matrix& X, std::vector<std::uint8_t>& y, std::size_t first_row);

}  // namespace digitpad

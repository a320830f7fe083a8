// Random distortions of training digits, made fresh for every batch: an affine map
// (rotation, scale, shear, translation), an elastic field (Simard, Steinkraus and Platt,
// 2003: Gaussian-smoothed random displacements) and a change of stroke thickness.
#pragma once

#include "dataset.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace digitpad {

struct AugmentOptions {
    double rotation_degrees = 12;  // uniform in ±
    double scale_min = 0.85, scale_max = 1.15;
    double shear = 0.25;           // x += shear·y, uniform in ±
    double translate = 2;          // pixels, uniform in ±
    double elastic_alpha = 34;     // Simard's α: field scale
    double elastic_sigma = 4;      // Simard's σ: smoothing of the field, pixels
    double thicken = 0.5;          // stroke thickness change t uniform in [−thicken/2, thicken]
};

class Augmenter {
public:
    // The elastic fields come from a bank made once from `seed`; each image takes one at random
    // in one of its eight orientations, so fields cost nothing per image.
    explicit Augmenter(const AugmentOptions& options, std::uint64_t seed = 1, int field_bank = 256);

    // Distorts one 28×28 image (bytes) into `out` (784 floats in [0, 1]), drawing from `rng`.
    void distort(std::span<const std::uint8_t> image, float* out, std::mt19937_64& rng) const;

    const AugmentOptions& options() const { return options_; }

private:
    AugmentOptions options_;
    std::vector<float> fields_;  // bank × 2 × 784 displacements (dx, dy), in pixels
    int bank_;
};

// Like gather_batch, but every image distorted; the batch's randomness comes from `seed`
// alone, so a run is reproducible whatever thread makes the batch.
void gather_augmented_batch(const Dataset& data, std::span<const std::uint32_t> indices, const Augmenter& augmenter,
                            std::uint64_t seed, Matrix& X, std::vector<std::uint8_t>& y);

}  // namespace digitpad

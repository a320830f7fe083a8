// The engine's hot loops, as plain functions on row-major float arrays, compiled once for
// each instruction set a build covers (kernels.cpp) and chosen at run time for the CPU:
//   - a portable build (the default, and the package) has AVX-512 (F, BW, DQ, VL), AVX2 + FMA
//     and the x86-64 baseline (SSE2), and takes the widest the CPU runs;
//   - a native build (-DDIGITPAD_NATIVE=ON) has one set, compiled for the build machine.
// sparse_input.h and output_layer.h say what each loop computes; this header holds only the
// table that carries them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace digitpad {

namespace kernel {

using Index = std::ptrdiff_t;
constexpr Index kGroup = 4;        // inputs indexed together (sparse_input.h)
constexpr Index kMaxClasses = 16;  // output_update keeps one sum per class (output_layer.h)

// One nonzero of a group of four rows (or columns) of the input X.
struct Entry {
    int index;             // the pixel (by rows) or the sample (by columns)
    float value[kGroup];  // the group's four values there; 0 past the end of X
};

// Lists of entries, one per group: group g's holds count[g] entries from first + g·stride.
// Group g's sums go to target rows 4g..4g+3 of those that exist (below `targets`).
struct Lists {
    const Entry* first;
    Index stride;
    const int* count;
    Index groups, targets;
};

// A row-major matrix given by its first element and its row length (leading dimension). No
// member functions: code here would be shared by every copy of kernels.cpp (see there).
template <typename T>
struct Rows {
    T* data;
    Index ld;
};

// A training digit's distortion with its random parameters drawn (core/augment.h): the stroke
// thickness change, the inverse of the affine map and the elastic field in one orientation.
struct Distortion {
    float thickness;        // t: blend by |t| towards the 3×3 dilation (t > 0) or erosion (t < 0)
    float inverse[4];       // A⁻¹, row-major
    float shift_x, shift_y;  // the translation
    // Output pixel (x, y)'s displacement is (field_x, field_y) at origin + x·step_x + y·step_y.
    const float* field_x;
    const float* field_y;
    Index origin, step_x, step_y;
};

}  // namespace kernel

struct Kernels {
    const char* instruction_set;  // "AVX-512", "AVX2", "SSE2"; a native build names its widest
    int lanes;                    // floats in one vector register
    int registers;                // vector registers the instruction set names

    // out(:, c0..c0+n) = Σ over a row group's entries of value · W(index, c0..) + b, then r.
    void (*sparse_product)(const kernel::Lists& rows, kernel::Rows<const float> W, const float* b, bool relu,
                           kernel::Rows<float> out, kernel::Index c0, kernel::Index n);
    // W(:, c0..c0+n) ← α·W + β·Σ over a column group's entries of value · delta(index, c0..).
    void (*sparse_update)(const kernel::Lists& columns, kernel::Rows<const float> delta, float alpha, float beta,
                          kernel::Rows<float> W, kernel::Index c0, kernel::Index n);
    // net(s, k) = Σ_c out(s, c0 + c) · WT(k, c), for B rows s, C classes k and n units c.
    void (*output_share)(kernel::Rows<const float> out, kernel::Index B, kernel::Index c0, kernel::Rows<const float> WT,
                         kernel::Index C, kernel::Index n, kernel::Rows<float> net);
    // delta_prev(s, c0 + c) = (Σ_k delta(s, k) · WT(k, c)) ⊗ [out(s, c0 + c) > 0].
    void (*hidden_delta)(kernel::Rows<const float> delta, kernel::Index B, kernel::Rows<const float> WT, kernel::Index C,
                         kernel::Index n, kernel::Rows<const float> out, kernel::Index c0, kernel::Rows<float> delta_prev);
    // W(c0 + c, k) ← α·W(c0 + c, k) + β·Σ_s out(s, c0 + c) · delta(s, k), for C ≤ 16 classes.
    void (*output_update)(kernel::Rows<const float> out, kernel::Index B, kernel::Rows<const float> delta,
                          kernel::Index C, float alpha, float beta, kernel::Index c0, kernel::Index n,
                          kernel::Rows<float> W);
    // net(0..n) = b + Σ_e value[e] · W(index[e], 0..n), in the entries' order: one sample's layer
    // over its nonzero inputs.
    void (*weighted_rows)(const int* index, const float* value, kernel::Index count, kernel::Rows<const float> W,
                          const float* b, kernel::Index n, float* net);
    // out[i] = in[i] · scale for i < n: a batch's pixels from bytes to floats.
    void (*scale_bytes)(const std::uint8_t* in, kernel::Index n, float scale, float* out);
    // For i < n, with ∇ = g[i] + λ·a[i]: v[i] ← μ·v[i] + ∇, then a[i] ← a[i] − η·v[i], or with
    // Nesterov a[i] ← a[i] − η·(∇ + μ·v[i]): the momentum rules' pass (core/optimizer.h).
    void (*momentum_step)(float* a, const float* g, float* v, kernel::Index n, float eta, float mu, bool nesterov,
                          float lambda);
    // For i < n, with ∇ = g[i] + λ·a[i]: m[i] ← β₁·m[i] + (1 − β₁)·∇, v[i] ← β₂·v[i] + (1 − β₂)·∇²,
    // a[i] ← a[i] − step·m[i] / (√v[i] + ε̂): Adam's pass, its bias corrections folded into step and ε̂.
    void (*adam_step)(float* a, const float* g, float* m, float* v, kernel::Index n, float step, float beta1,
                      float beta2, float eps_hat, float lambda);
    // out (28×28 floats) = the 28×28 bytes of `image` distorted as augment.h says, to the same
    // bits with every set (engine/distort_kernel.cpp).
    void (*distort_digit)(const std::uint8_t* image, const kernel::Distortion& d, float* out);
};

// Every set this build has, widest first, and whether this CPU runs it.
std::span<const Kernels* const> compiled_kernels();
bool cpu_runs(const Kernels& k);
// The set this build has for `instruction_set` ("AVX2"), or nullptr.
const Kernels* kernels_named(std::string_view instruction_set);

// The set the engine uses: the widest this CPU runs, unless use_kernels chose another. Set the
// choice before training starts (it is read by every thread of a step); nullptr goes back to the
// widest. Throws std::invalid_argument for a set the CPU can't run.
const Kernels& kernels();
void use_kernels(const Kernels* k);

}  // namespace digitpad

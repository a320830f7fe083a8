// The products with the output layer (n_m = 10 classes) for one thread's share of the
// hidden units, c0 ≤ c < c0 + n, as in the split step of engine.h. With only ten columns
// on one side, a general GEMM spends most of its time packing; these loops run along the
// wide hidden side instead, one SIMD register of units (kernels.h) at a time. WT is W_2ᵀ restricted to the share
// (n_m × n, row-major), formed once a step so that both sides read contiguous rows.
#pragma once

#include "kernels.h"
#include "matrix.h"

namespace digitpad {

// output_update keeps one sum per class; wider output layers take Eigen's products.
constexpr Eigen::Index kMaxClasses = kernel::kMaxClasses;

// A Matrix or a block of its rows or columns, as the kernels read it: the first element and the
// row length of the matrix it lies in.
using ConstBlock = Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>;
using Block = Eigen::Ref<Matrix, 0, Eigen::OuterStride<>>;

// net(s, k) = Σ_c out(s, c0 + c) · WT(k, c): this share's part of out_1 · W_2 (B × n_m). Each
// sample's sums are its own, so out and net may be the same rows of larger matrices.
void output_share(const ConstBlock& out, Eigen::Index c0, const Matrix& WT, Block net);

// delta_prev(s, c0 + c) = (Σ_k delta(s, k) · WT(k, c)) ⊗ [out(s, c0 + c) > 0]: the paper's
// δ_1 = (δ_2 · W_2ᵀ) ⊗ r'(net_1) for these units (r'(net) = [out > 0] as out = r(net)). WT may
// be these units' columns of the whole W_2ᵀ.
void hidden_delta(const Matrix& delta, const ConstBlock& WT, const Matrix& out, Eigen::Index c0, Matrix& delta_prev);

// W(c0 + c, k) ← α·W(c0 + c, k) + β·Σ_s out(s, c0 + c) · delta(s, k), for c < WT.cols():
// the update of W_2's rows for these units with ∂L/∂W_2 = out_1ᵀ · δ_2 / B.
void output_update(const Matrix& out, const Matrix& delta, float alpha, float beta, Eigen::Index c0, Eigen::Index n,
                   Matrix& W);

}  // namespace digitpad

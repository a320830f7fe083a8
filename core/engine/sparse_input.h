// The first layer's two products when its input is mostly zeros.
//
// An MNIST digit leaves 81% of its 784 pixels at 0, so most of net_1 = X·W_1 and of the
// update W_1 ← W_1 − (η/B)·Xᵀ·δ_1 is multiplication by zero. SparseInput indexes a batch X
// (B × n_0) twice, in groups of four so that each loaded row of W_1 or δ_1 serves four FMAs:
//   - by rows: for each four samples, the pixels where any of them is nonzero, with the four
//     values (38% of the pixels for four random MNIST digits);
//   - by columns: for each four pixels, the samples where any of them is nonzero, with the
//     four values (about 1.5 times the nonzeros).
// The products then run over those lists only, in register tiles of 4 × 64 outputs (with
// AVX-512; kernels.h). They compute the same sums as the dense products, in another order.
#pragma once

#include "kernels.h"
#include "matrix.h"

#include <span>
#include <vector>

namespace digitpad {

class SparseInput {
public:
    static constexpr Eigen::Index kGroup = kernel::kGroup;
    using Entry = kernel::Entry;

    // Sizes the lists for a rows × cols batch; allocates only when the size grows.
    void resize(Eigen::Index rows, Eigen::Index cols);
    Eigen::Index rows() const { return rows_; }
    Eigen::Index cols() const { return cols_; }
    Eigen::Index row_groups() const { return (rows_ + kGroup - 1) / kGroup; }
    Eigen::Index column_groups() const { return (cols_ + kGroup - 1) / kGroup; }

    // Index groups [first, last) of X, which must have the size given to resize(). Different
    // ranges may be indexed by different threads at once.
    void index_rows(const Matrix& X, Eigen::Index first, Eigen::Index last);
    void index_columns(const Matrix& X, Eigen::Index first, Eigen::Index last);
    // Both indexes of the whole batch (one thread).
    void index(const Matrix& X);

    std::span<const Entry> row_group(Eigen::Index r) const;
    std::span<const Entry> column_group(Eigen::Index g) const;
    // Every row group's list (targets: the rows of X) or column group's (targets: its columns).
    kernel::Lists row_lists() const;
    kernel::Lists column_lists() const;

    // Fractions of the dense products' multiplications that sparse_product (row groups) and
    // sparse_update (column groups) do.
    double row_group_density() const;
    double column_group_density() const;

    // Above this density the dense products are faster: at full density the sparse ones run
    // at about 70% of Eigen's GEMM speed (digitpad-bench, dense input), and on random inputs
    // the two break even near 70% (784-800-10, 2 threads: ~0.8 at batch 64, ~0.7 at 128).
    // Distorted digits (augmentation) are about 60%; MNIST's about 40%.
    static constexpr double kMaxDensity = 0.7;
    // Whether sparse_product (rows) and sparse_update (columns) beat the dense products here.
    bool sparse_rows() const;
    bool sparse_columns() const;

private:
    Eigen::Index rows_ = 0, cols_ = 0;
    std::vector<Entry> by_rows_;     // row group r's list starts at r · cols_
    std::vector<Entry> by_columns_;  // column group g's list starts at g · rows_
    std::vector<int> row_count_, column_count_;
    std::vector<float> zeros_;  // stands in for the rows past the end of X
};

// out(:, c0..c0+n) = X·W(:, c0..c0+n) + b(c0..c0+n), then r = max(0, ·) when `relu`.
// X is rows × n_0, W is n_0 × n_out, out is rows × n_out and already sized.
void sparse_product(const SparseInput& X, const Matrix& W, const RowVector& b, Eigen::Index c0, Eigen::Index n,
                    bool relu, Matrix& out);

// W(:, c0..c0+n) ← α·W(:, c0..c0+n) + β·Xᵀ·delta(:, c0..c0+n); with α = 0 the old W is not read.
// delta is rows × n_out, W is n_0 × n_out.
void sparse_update(const SparseInput& X, const Matrix& delta, float alpha, float beta, Eigen::Index c0, Eigen::Index n,
                   Matrix& W);

}  // namespace digitpad

#include "sparse_input.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace digitpad {

namespace {

using Index = Eigen::Index;
constexpr int G = static_cast<int>(SparseInput::kGroup);

// Four floats, one SSE register (the x86-64 baseline) in GCC's vector extension.
using Four = float __attribute__((vector_size(16)));
using FourBits = int __attribute__((vector_size(16)));
static_assert(G == 4, "the indexes read four floats at a time");

Four load_four(const float* p) {
    Four v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Bit i set where v[i] is nonzero (−0 is zero, NaN is not): one instruction on x86-64.
int nonzero_lanes(Four v) {
#if defined(__SSE2__)
    return _mm_movemask_ps(_mm_cmpneq_ps(v, _mm_setzero_ps()));
#else
    const FourBits nonzero = v != Four{};
    return (nonzero[0] & 1) | (nonzero[1] & 2) | (nonzero[2] & 4) | (nonzero[3] & 8);
#endif
}

// Writes an entry where the next one of a list goes. Written always, kept or not: the caller
// moves the list's end past it when it holds a nonzero, with no branch to mispredict.
void write(SparseInput::Entry& e, Index at, Four values) {
    e.index = static_cast<int>(at);
    std::memcpy(e.value, &values, sizeof e.value);
}

// write(), then 1 when any of the four values is nonzero, which keeps the entry.
int put(SparseInput::Entry& e, Index at, Four values) {
    write(e, at, values);
    return nonzero_lanes(values) != 0;
}

// The columns of the 4 × 4 block whose rows are v: column j is (v[0][j], .., v[3][j]).
void transpose(Four (&v)[G]) {
    const Four t0 = __builtin_shufflevector(v[0], v[1], 0, 4, 1, 5), t1 = __builtin_shufflevector(v[0], v[1], 2, 6, 3, 7);
    const Four t2 = __builtin_shufflevector(v[2], v[3], 0, 4, 1, 5), t3 = __builtin_shufflevector(v[2], v[3], 2, 6, 3, 7);
    v[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5), v[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
    v[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5), v[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}

}  // namespace

void SparseInput::resize(Index rows, Index cols) {
    rows_ = rows;
    cols_ = cols;
    if (by_rows_.size() < static_cast<std::size_t>(row_groups() * cols_))
        by_rows_.resize(static_cast<std::size_t>(row_groups() * cols_));
    if (by_columns_.size() < static_cast<std::size_t>(column_groups() * rows_))
        by_columns_.resize(static_cast<std::size_t>(column_groups() * rows_));
    if (zeros_.size() < static_cast<std::size_t>(cols_)) zeros_.resize(static_cast<std::size_t>(cols_), 0.0f);
    row_count_.resize(static_cast<std::size_t>(row_groups()));
    column_count_.resize(static_cast<std::size_t>(column_groups()));
}

void SparseInput::index_rows(const Matrix& X, Index first, Index last) {
    assert(X.rows() == rows_ && X.cols() == cols_);
    for (Index r = first; r < last; ++r) {
        const float* x[G];  // rows past the end of X read as zeros
        for (int i = 0; i < G; ++i) x[i] = r * kGroup + i < rows_ ? X.row(r * kGroup + i).data() : zeros_.data();
        Entry* list = by_rows_.data() + r * cols_;
        int count = 0;
        Index p = 0;
        // Four pixels at a time: most blocks are blank in all four samples and are skipped. A
        // pixel is nonzero in one of them where the bits of the four values, or-ed, are (−0 has
        // only the sign bit; a nonzero keeps some other).
        for (; p + G <= cols_; p += G) {
            Four v[G] = {load_four(x[0] + p), load_four(x[1] + p), load_four(x[2] + p), load_four(x[3] + p)};
            FourBits any = reinterpret_cast<FourBits>(v[0]) | reinterpret_cast<FourBits>(v[1]) |
                           reinterpret_cast<FourBits>(v[2]) | reinterpret_cast<FourBits>(v[3]);
            const int pixels = nonzero_lanes(reinterpret_cast<Four>(any));
            if (pixels == 0) continue;
            transpose(v);
            for (int j = 0; j < G; ++j) {
                write(list[count], p + j, v[j]);
                count += (pixels >> j) & 1;
            }
        }
        for (; p < cols_; ++p) count += put(list[count], p, Four{x[0][p], x[1][p], x[2][p], x[3][p]});
        row_count_[static_cast<std::size_t>(r)] = count;
    }
}

void SparseInput::index_columns(const Matrix& X, Index first, Index last) {
    assert(X.rows() == rows_ && X.cols() == cols_);
    // Four groups at a time, sixteen pixels: a cache line of every sample, read while the
    // samples go by and each group's list grows at its own end.
    constexpr Index kLine = 4;
    for (Index g0 = first; g0 < last; g0 += kLine) {
        const Index groups = std::min(kLine, last - g0);
        int count[kLine] = {};
        Entry* list[kLine];
        for (Index i = 0; i < groups; ++i) list[i] = by_columns_.data() + (g0 + i) * rows_;
        if (groups == kLine && (g0 + kLine) * kGroup <= cols_) {
            for (Index s = 0; s < rows_; ++s) {
                const float* x = X.row(s).data() + g0 * kGroup;
                for (Index i = 0; i < kLine; ++i) count[i] += put(list[i][count[i]], s, load_four(x + i * kGroup));
            }
        } else {
            for (Index s = 0; s < rows_; ++s) {
                const float* x = X.row(s).data();
                for (Index i = 0; i < groups; ++i) {
                    const Index p0 = (g0 + i) * kGroup, width = std::min(kGroup, cols_ - p0);
                    Four values{};
                    for (Index k = 0; k < width; ++k) values[k] = x[p0 + k];  // 0 past the last column
                    count[i] += put(list[i][count[i]], s, values);
                }
            }
        }
        for (Index i = 0; i < groups; ++i) column_count_[static_cast<std::size_t>(g0 + i)] = count[i];
    }
}

void SparseInput::index(const Matrix& X) {
    resize(X.rows(), X.cols());
    index_rows(X, 0, row_groups());
    index_columns(X, 0, column_groups());
}

std::span<const SparseInput::Entry> SparseInput::row_group(Index r) const {
    return {by_rows_.data() + r * cols_, static_cast<std::size_t>(row_count_[static_cast<std::size_t>(r)])};
}

std::span<const SparseInput::Entry> SparseInput::column_group(Index g) const {
    return {by_columns_.data() + g * rows_, static_cast<std::size_t>(column_count_[static_cast<std::size_t>(g)])};
}

double SparseInput::row_group_density() const {
    const double entries = std::accumulate(row_count_.begin(), row_count_.end(), 0.0);
    return row_groups() == 0 || cols_ == 0 ? 0.0 : entries / static_cast<double>(row_groups() * cols_);
}

bool SparseInput::sparse_rows() const { return row_group_density() <= kMaxDensity; }

bool SparseInput::sparse_columns() const { return column_group_density() <= kMaxDensity; }

double SparseInput::column_group_density() const {
    const double entries = std::accumulate(column_count_.begin(), column_count_.end(), 0.0);
    return column_groups() == 0 || rows_ == 0 ? 0.0 : entries / static_cast<double>(column_groups() * rows_);
}

kernel::Lists SparseInput::row_lists() const {
    return {by_rows_.data(), cols_, row_count_.data(), row_groups(), rows_};
}

kernel::Lists SparseInput::column_lists() const {
    return {by_columns_.data(), rows_, column_count_.data(), column_groups(), cols_};
}

void sparse_product(const SparseInput& X, const Matrix& W, const RowVector& b, Index c0, Index n, bool relu,
                    Matrix& out) {
    assert(W.rows() == X.cols() && out.rows() == X.rows() && out.cols() == W.cols() && b.size() == W.cols());
    assert(c0 >= 0 && c0 + n <= W.cols());
    kernels().sparse_product(X.row_lists(), {W.data(), W.cols()}, b.data(), relu, {out.data(), out.cols()}, c0, n);
}

void sparse_update(const SparseInput& X, const Matrix& delta, float alpha, float beta, Index c0, Index n, Matrix& W) {
    assert(W.rows() == X.cols() && delta.rows() == X.rows() && delta.cols() == W.cols());
    assert(c0 >= 0 && c0 + n <= W.cols());
    kernels().sparse_update(X.column_lists(), {delta.data(), delta.cols()}, alpha, beta, {W.data(), W.cols()}, c0, n);
}

}  // namespace digitpad

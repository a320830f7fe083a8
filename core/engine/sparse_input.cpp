#include "sparse_input.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>

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

// Writes an entry where the next one of a list goes; 1 when any of its four values is nonzero
// (−0 is zero), which keeps it. Written always: no branch to mispredict.
int put(SparseInput::Entry& e, Index at, Four values) {
    e.index = static_cast<int>(at);
    std::memcpy(e.value, &values, sizeof e.value);
    const FourBits nonzero = values != Four{};
    return (nonzero[0] | nonzero[1] | nonzero[2] | nonzero[3]) & 1;
}

// Whether the four rows' four floats are all +0, bit for bit: a block that can be skipped
// without looking closer.
bool blank(const Four (&v)[G]) {
    FourBits any{};
    for (const Four& four : v) {
        FourBits bits;
        std::memcpy(&bits, &four, sizeof bits);
        any |= bits;
    }
    return (any[0] | any[1] | any[2] | any[3]) == 0;
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
        // Four pixels at a time: most blocks are blank in all four samples and are skipped.
        for (; p + G <= cols_; p += G) {
            const Four v[G] = {load_four(x[0] + p), load_four(x[1] + p), load_four(x[2] + p), load_four(x[3] + p)};
            if (blank(v)) continue;
            for (int j = 0; j < G; ++j) count += put(list[count], p + j, Four{v[0][j], v[1][j], v[2][j], v[3][j]});
        }
        for (; p < cols_; ++p) count += put(list[count], p, Four{x[0][p], x[1][p], x[2][p], x[3][p]});
        row_count_[static_cast<std::size_t>(r)] = count;
    }
}

void SparseInput::index_columns(const Matrix& X, Index first, Index last) {
    assert(X.rows() == rows_ && X.cols() == cols_);
    // Row by row, so that X is read in order; each group's list grows at its own end.
    std::fill(column_count_.begin() + first, column_count_.begin() + last, 0);
    for (Index s = 0; s < rows_; ++s) {
        const float* x = X.row(s).data();
        for (Index g = first; g < last; ++g) {
            const Index p0 = g * kGroup, width = std::min(kGroup, cols_ - p0);
            int& count = column_count_[static_cast<std::size_t>(g)];
            Four values{};
            if (width == kGroup)
                values = load_four(x + p0);
            else
                for (Index i = 0; i < width; ++i) values[i] = x[p0 + i];  // 0 past the last column
            count += put(by_columns_[static_cast<std::size_t>(g * rows_ + count)], s, values);
        }
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

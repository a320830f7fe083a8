#include "sparse_input.h"

#include "lanes.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <numeric>

namespace digitpad {

namespace {

using Index = Eigen::Index;
constexpr int G = static_cast<int>(SparseInput::kGroup);

// Lanes across a tile: as many as keep its G·V sums, V loads and one broadcast in registers
// (4 with AVX-512's 32 registers; 3 with AVX2's 16), at most 4 (wider gained nothing).
constexpr int kTileVecs = std::min(4, (kRegisters - 1) / (G + 1));

// Four rows of V Vecs: acc[i] = Σ over entries e of e.value[i] · M(e.index, c..), where M
// (offset to column c) is W_1 for the forward product and δ_1 for the update.
template <typename Vec, int V>
struct Tile {
    static constexpr int L = static_cast<int>(sizeof(Vec) / sizeof(float));
    Vec acc[G][V] = {};

    [[gnu::always_inline]] void accumulate(std::span<const SparseInput::Entry> entries, const float* M, Index ld) {
        for (const SparseInput::Entry& e : entries) {
            const float* m = M + e.index * ld;
            Vec mv[V];
            for (int v = 0; v < V; ++v) mv[v] = load<Vec>(m + v * L);
            for (int i = 0; i < G; ++i) {
                const Vec x = broadcast<Vec>(e.value[i]);
                for (int v = 0; v < V; ++v) acc[i][v] += x * mv[v];
            }
        }
    }

    // write(acc[i][v], the target at row i and lane block v, its column offset v·L) for each
    // of the G target rows that exists (nullptr past the end of the matrix).
    template <typename Write>
    [[gnu::always_inline]] void write_rows(float* const* rows, Write write) const {
        for (int i = 0; i < G; ++i)
            if (rows[i])
                for (int v = 0; v < V; ++v) write(acc[i][v], rows[i] + v * L, v * L);
    }
};

// out rows r_i (nullptr past the end of X) at columns [c, c + tile_width) =
// Σ over entries e of e.value[i] · W(e.index, c..), plus b, then r.
template <typename Vec, int V>
void product_tile(std::span<const SparseInput::Entry> entries, const float* W, Index ldw, const float* b, bool relu,
                  float* const* out) {
    Tile<Vec, V> t;
    t.accumulate(entries, W, ldw);
    t.write_rows(out, [&](Vec acc, float* at, int c) {
        Vec net = acc + load<Vec>(b + c);
        if (relu) net = net > Vec{} ? net : Vec{};
        store(at, net);
    });
}

// W rows w_i (nullptr past the end of X's columns) at columns [c, c + tile_width) ←
// α·W + β·Σ over entries e of e.value[i] · delta(e.index, c..).
template <typename Vec, int V>
void update_tile(std::span<const SparseInput::Entry> entries, const float* delta, Index ldd, float alpha, float beta,
                 float* const* w) {
    Tile<Vec, V> t;
    t.accumulate(entries, delta, ldd);
    t.write_rows(w, [&](Vec acc, float* at, int) {
        const Vec step = beta * acc;
        store(at, alpha == 0.0f ? step : alpha * load<Vec>(at) + step);
    });
}

int nonzero(const SparseInput::Entry& e) {
    int any = 0;
    for (int i = 0; i < G; ++i) any |= e.value[i] != 0.0f;
    return any;
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
        for (Index p = 0; p < cols_; ++p) {
            Entry& e = list[count];  // written always, kept when nonzero: no branch to mispredict
            e.index = static_cast<int>(p);
            for (int i = 0; i < G; ++i) e.value[i] = x[i][p];
            count += nonzero(e);
        }
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
            Entry& e = by_columns_[static_cast<std::size_t>(g * rows_ + count)];
            e.index = static_cast<int>(s);
            if (width == kGroup) {
                std::memcpy(e.value, x + p0, sizeof e.value);
            } else {
                for (Index i = 0; i < kGroup; ++i) e.value[i] = i < width ? x[p0 + i] : 0.0f;  // past the last column
            }
            count += nonzero(e);
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

void sparse_product(const SparseInput& X, const Matrix& W, const RowVector& b, Index c0, Index n, bool relu,
                    Matrix& out) {
    assert(W.rows() == X.cols() && out.rows() == X.rows() && out.cols() == W.cols() && b.size() == W.cols());
    assert(c0 >= 0 && c0 + n <= W.cols());
    for_each_tile<kTileVecs>(c0, n, [&]<typename Vec, int V>(Index c) {
        for (Index r = 0; r < X.row_groups(); ++r) {
            float* rows[G];
            for (int i = 0; i < G; ++i)
                rows[i] = r * SparseInput::kGroup + i < X.rows() ? out.row(r * SparseInput::kGroup + i).data() + c : nullptr;
            product_tile<Vec, V>(X.row_group(r), W.data() + c, W.cols(), b.data() + c, relu, rows);
        }
    });
}

void sparse_update(const SparseInput& X, const Matrix& delta, float alpha, float beta, Index c0, Index n, Matrix& W) {
    assert(W.rows() == X.cols() && delta.rows() == X.rows() && delta.cols() == W.cols());
    assert(c0 >= 0 && c0 + n <= W.cols());
    for_each_tile<kTileVecs>(c0, n, [&]<typename Vec, int V>(Index c) {
        for (Index g = 0; g < X.column_groups(); ++g) {
            const auto entries = X.column_group(g);
            if (entries.empty() && alpha == 1.0f) continue;  // nothing moves these four rows
            float* rows[G];
            for (int i = 0; i < G; ++i)
                rows[i] = g * SparseInput::kGroup + i < X.cols() ? W.row(g * SparseInput::kGroup + i).data() + c : nullptr;
            update_tile<Vec, V>(entries, delta.data() + c, delta.cols(), alpha, beta, rows);
        }
    });
}

}  // namespace digitpad

// The sparse first-layer products against the dense ones, computed in double: every shape of
// tile (64, 16 and single columns), batches and inputs that are not multiples of the group of
// four, empty rows, dense inputs, and a column range that leaves the rest untouched; with
// every kernel set the CPU runs.
#include "engine/sparse_input.h"

#include "kernel_sets.h"
#include "random_matrix.h"

#include <QtTest>

#include <algorithm>
#include <iterator>
#include <random>

using namespace digitpad;
using digitpad::testing::gaussian;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

// B × n values in [0, 1], each nonzero with probability `density`; row `empty_row` all zero.
Matrix sparse_batch(Eigen::Index B, Eigen::Index n, double density, std::uint64_t seed, Eigen::Index empty_row = -1) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> value(0.01f, 1.0f);
    std::bernoulli_distribution nonzero(density);
    Matrix X(B, n);
    for (Eigen::Index s = 0; s < B; ++s)
        for (Eigen::Index p = 0; p < n; ++p) X(s, p) = s != empty_row && nonzero(rng) ? value(rng) : 0.0f;
    return X;
}


// |a − b| ≤ 1e-5·(1 + bound) entry by entry, where bound is the sum of the magnitudes of the
// terms (float rounding of a sum in any order stays well inside it).
bool close(const Matrix& a, const MatrixD& b, const MatrixD& bound) {
    const MatrixD diff = (a.cast<double>() - b).cwiseAbs();
    return (diff.array() <= 1e-5 * (1.0 + bound.array())).all();
}

struct Shape {
    Eigen::Index B, n0, n_out;
    double density;
};

const Shape kShapes[] = {
    {8, 30, 20, 0.3},      // one 16-column tile and 4 single columns
    {7, 13, 37, 0.5},      // neither B nor n_0 a multiple of 4
    {1, 5, 200, 1.0},      // one sample, fully dense, 64-column tiles and a remainder
    {128, 784, 800, 0.19}, // the paper's layer at MNIST's density
    {33, 784, 64, 0.0},    // an empty batch: out = b, W unchanged
};

}  // namespace

class TestSparseInput : public QObject {
    Q_OBJECT
private slots:
    // Every check runs with each kernel set the CPU runs.
    void initTestCase_data() { testing::add_kernel_set_rows(); }
    void init() { testing::use_kernel_set_of_this_row(); }
    void cleanupTestCase() { use_kernels(nullptr); }

    void index_lists_the_nonzeros() {
        Matrix X = Matrix::Zero(5, 6);
        X(0, 1) = 0.5f;
        X(3, 1) = 0.25f;
        X(4, 5) = 1.0f;
        SparseInput s;
        s.index(X);
        QCOMPARE(s.row_groups(), 2);
        QCOMPARE(s.column_groups(), 2);
        QCOMPARE(s.row_group(0).size(), 1u);  // rows 0-3 share pixel 1
        QCOMPARE(s.row_group(0)[0].index, 1);
        QCOMPARE(s.row_group(0)[0].value[0], 0.5f);
        QCOMPARE(s.row_group(0)[0].value[3], 0.25f);
        QCOMPARE(s.row_group(1).size(), 1u);  // row 4 alone, pixel 5, padded with zeros
        QCOMPARE(s.row_group(1)[0].index, 5);
        QCOMPARE(s.row_group(1)[0].value[1], 0.0f);
        QCOMPARE(s.column_group(0).size(), 2u);  // pixels 0-3: samples 0 and 3
        QCOMPARE(s.column_group(0)[1].index, 3);
        QCOMPARE(s.column_group(0)[1].value[1], 0.25f);
        QCOMPARE(s.column_group(1).size(), 1u);  // pixels 4-5 (6-7 past the end): sample 4
        QCOMPARE(s.column_group(1)[0].value[1], 1.0f);
        QCOMPARE(s.row_group_density(), 2.0 / 12.0);
    }

    // Both indexes against the definition, entry by entry, on shapes whose edges are not
    // multiples of four, with −0 (not a nonzero) and blank stretches that the indexing skips.
    void lists_are_every_group_with_a_nonzero_in_order() {
        for (const Shape& sh : kShapes) {
            Matrix X = sparse_batch(sh.B, sh.n0, sh.density, 9, sh.B > 2 ? 2 : -1);
            for (Eigen::Index p = 0; p < sh.n0; p += 3) X(0, p) = -0.0f;
            SparseInput s;
            s.index(X);
            const auto value = [&](Eigen::Index row, Eigen::Index col) {
                return row < X.rows() && col < X.cols() ? X(row, col) : 0.0f;
            };
            const auto check = [&](std::span<const SparseInput::Entry> list, Eigen::Index group, Eigen::Index length,
                                   bool by_rows) {
                std::size_t k = 0;
                for (Eigen::Index at = 0; at < length; ++at) {
                    float v[4];
                    bool any = false;
                    for (int i = 0; i < 4; ++i) {
                        v[i] = by_rows ? value(group * 4 + i, at) : value(at, group * 4 + i);
                        any = any || v[i] != 0.0f;
                    }
                    if (!any) continue;
                    if (k >= list.size() || list[k].index != at) return false;
                    for (int i = 0; i < 4; ++i)
                        if (list[k].value[i] != v[i]) return false;
                    ++k;
                }
                return k == list.size();
            };
            for (Eigen::Index r = 0; r < s.row_groups(); ++r)
                QVERIFY2(check(s.row_group(r), r, sh.n0, true), qPrintable(QString("B %1 n0 %2 row group %3").arg(sh.B).arg(sh.n0).arg(r)));
            for (Eigen::Index g = 0; g < s.column_groups(); ++g)
                QVERIFY2(check(s.column_group(g), g, sh.B, false), qPrintable(QString("B %1 n0 %2 column group %3").arg(sh.B).arg(sh.n0).arg(g)));

            // Indexed in three uneven shares, as threads index it: the same lists.
            SparseInput shares;
            shares.resize(X.rows(), X.cols());
            for (int t = 0; t < 3; ++t) {
                shares.index_rows(X, s.row_groups() * t * t / 9, s.row_groups() * (t + 1) * (t + 1) / 9);
                shares.index_columns(X, s.column_groups() * t * t / 9, s.column_groups() * (t + 1) * (t + 1) / 9);
            }
            const auto same = [](std::span<const SparseInput::Entry> a, std::span<const SparseInput::Entry> b) {
                return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
                    return x.index == y.index && std::equal(std::begin(x.value), std::end(x.value), std::begin(y.value));
                });
            };
            for (Eigen::Index r = 0; r < s.row_groups(); ++r) QVERIFY(same(shares.row_group(r), s.row_group(r)));
            for (Eigen::Index g = 0; g < s.column_groups(); ++g) QVERIFY(same(shares.column_group(g), s.column_group(g)));
        }
    }

    void product_matches_the_dense_product() {
        for (const Shape& sh : kShapes) {
            const Matrix X = sparse_batch(sh.B, sh.n0, sh.density, 1, sh.B > 2 ? 2 : -1);
            const Matrix W = gaussian(sh.n0, sh.n_out, 2);
            const RowVector b = gaussian(1, sh.n_out, 3);
            SparseInput s;
            s.index(X);
            const MatrixD net = (X.cast<double>() * W.cast<double>()).rowwise() + b.cast<double>();
            const MatrixD bound = (X.cast<double>().cwiseAbs() * W.cast<double>().cwiseAbs()).rowwise() +
                                  b.cast<double>().cwiseAbs();
            for (bool relu : {false, true}) {
                Matrix out = Matrix::Constant(sh.B, sh.n_out, 7.0f);
                sparse_product(s, W, b, 0, sh.n_out, relu, out);
                QVERIFY2(close(out, relu ? MatrixD(net.cwiseMax(0.0)) : net, bound),
                         qPrintable(QString("B %1 n0 %2 n %3").arg(sh.B).arg(sh.n0).arg(sh.n_out)));
            }
            // A range of columns, as one thread computes: the others stay as they were.
            const Eigen::Index c0 = sh.n_out / 3, n = sh.n_out / 2;
            Matrix out = Matrix::Constant(sh.B, sh.n_out, 7.0f);
            sparse_product(s, W, b, c0, n, false, out);
            QVERIFY(close(out.middleCols(c0, n), net.middleCols(c0, n), bound.middleCols(c0, n)));
            QCOMPARE(out.leftCols(c0), Matrix::Constant(sh.B, c0, 7.0f));
            QCOMPARE(out.rightCols(sh.n_out - c0 - n), Matrix::Constant(sh.B, sh.n_out - c0 - n, 7.0f));
        }
    }

    void update_matches_the_dense_update() {
        for (const Shape& sh : kShapes) {
            const Matrix X = sparse_batch(sh.B, sh.n0, sh.density, 4, sh.B > 2 ? 1 : -1);
            const Matrix delta = gaussian(sh.B, sh.n_out, 5);
            const Matrix W0 = gaussian(sh.n0, sh.n_out, 6);
            SparseInput s;
            s.index(X);
            const MatrixD XtD = X.cast<double>().transpose() * delta.cast<double>();
            const MatrixD bound = X.cast<double>().cwiseAbs().transpose() * delta.cast<double>().cwiseAbs();
            for (float alpha : {1.0f, 0.9f}) {
                Matrix W = W0;
                sparse_update(s, delta, alpha, -0.25f, 0, sh.n_out, W);
                const MatrixD expected = double(alpha) * W0.cast<double>() - 0.25 * XtD;
                QVERIFY2(close(W, expected, bound + W0.cast<double>().cwiseAbs()),
                         qPrintable(QString("B %1 n0 %2 n %3 α %4").arg(sh.B).arg(sh.n0).arg(sh.n_out).arg(alpha)));
            }
            // α = 0 writes β·Xᵀ·δ (a gradient) without reading W: NaNs there do not leak.
            Matrix G = Matrix::Constant(sh.n0, sh.n_out, std::numeric_limits<float>::quiet_NaN());
            sparse_update(s, delta, 0.0f, 0.5f, 0, sh.n_out, G);
            QVERIFY(close(G, 0.5 * XtD, bound));
            // A range of columns.
            const Eigen::Index c0 = sh.n_out / 4, n = sh.n_out / 2;
            Matrix W = W0;
            sparse_update(s, delta, 1.0f, 1.0f, c0, n, W);
            QVERIFY(close(W.middleCols(c0, n), (W0.cast<double>() + XtD).middleCols(c0, n),
                          (bound + W0.cast<double>().cwiseAbs()).middleCols(c0, n)));
            QCOMPARE(W.leftCols(c0), W0.leftCols(c0));
            QCOMPARE(W.rightCols(sh.n_out - c0 - n), W0.rightCols(sh.n_out - c0 - n));
        }
    }

    void reindexing_a_smaller_batch_forgets_the_old_one() {
        SparseInput s;
        s.index(sparse_batch(64, 100, 0.9, 7));
        const Matrix small = sparse_batch(6, 10, 0.2, 8);
        s.index(small);
        const Matrix W = gaussian(10, 20, 9);
        const RowVector b = RowVector::Zero(20);
        Matrix out(6, 20);
        sparse_product(s, W, b, 0, 20, false, out);
        QVERIFY(close(out, small.cast<double>() * W.cast<double>(),
                      small.cast<double>().cwiseAbs() * W.cast<double>().cwiseAbs()));
    }
};

QTEST_GUILESS_MAIN(TestSparseInput)
#include "test_sparse_input.moc"

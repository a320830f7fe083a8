// The output layer's hand-tiled products against the same products in double, for shares
// of the hidden units that are and are not multiples of a SIMD register, batches not a multiple of
// four, and output layers of 10 and 3 classes; with every kernel set the CPU runs.
#include "engine/output_layer.h"

#include "kernel_sets.h"
#include "random_matrix.h"

#include <QtTest>

#include <random>

using namespace digitpad;
using digitpad::testing::gaussian;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

bool close(const Matrix& a, const MatrixD& b) {
    return ((a.cast<double>() - b).cwiseAbs().array() <= 1e-5 * (1.0 + b.cwiseAbs().array())).all();
}

struct Share {
    Eigen::Index B, H, C, c0, n;
};

const Share kShares[] = {
    {128, 800, 10, 400, 400},  // the paper's network, second thread
    {7, 70, 10, 35, 35},       // 2 chunks of 16 and 3 single units; B not a multiple of 4
    {5, 40, 3, 0, 13},         // no full chunk
    {1, 16, 10, 0, 16},        // one sample, one chunk
};

}  // namespace

class TestOutputLayer : public QObject {
    Q_OBJECT
private slots:
    // Every check runs with each kernel set the CPU runs.
    void initTestCase_data() { testing::add_kernel_set_rows(); }
    void init() { testing::use_kernel_set_of_this_row(); }
    void cleanupTestCase() { use_kernels(nullptr); }

    void output_share_is_the_partial_product() {
        for (const Share& sh : kShares) {
            const Matrix out = gaussian(sh.B, sh.H, 1).cwiseMax(0.0f);
            const Matrix W = gaussian(sh.H, sh.C, 2);
            const Matrix WT = W.middleRows(sh.c0, sh.n).transpose();
            Matrix net = Matrix::Constant(sh.B, sh.C, 9.0f);
            output_share(out, sh.c0, WT, net);
            const MatrixD expected = out.cast<double>().middleCols(sh.c0, sh.n) * W.cast<double>().middleRows(sh.c0, sh.n);
            QVERIFY2(close(net, expected), qPrintable(QString("B %1 n %2 C %3").arg(sh.B).arg(sh.n).arg(sh.C)));
        }
    }

    void hidden_delta_is_the_papers_delta1() {
        for (const Share& sh : kShares) {
            const Matrix out = gaussian(sh.B, sh.H, 3).cwiseMax(0.0f);  // about half the units off
            const Matrix delta = gaussian(sh.B, sh.C, 4);
            const Matrix W = gaussian(sh.H, sh.C, 5);
            const Matrix WT = W.middleRows(sh.c0, sh.n).transpose();
            Matrix delta_prev = Matrix::Constant(sh.B, sh.H, 9.0f);
            hidden_delta(delta, WT, out, sh.c0, delta_prev);
            const MatrixD full = delta.cast<double>() * W.cast<double>().middleRows(sh.c0, sh.n).transpose();
            const MatrixD expected =
                (out.middleCols(sh.c0, sh.n).array() > 0.0f).select(full.array(), 0.0).matrix();
            QVERIFY(close(delta_prev.middleCols(sh.c0, sh.n), expected));
            QCOMPARE(delta_prev.leftCols(sh.c0), Matrix::Constant(sh.B, sh.c0, 9.0f));  // other threads' units
        }
    }

    void output_update_descends_on_the_shares_rows() {
        for (const Share& sh : kShares) {
            const Matrix out = gaussian(sh.B, sh.H, 6).cwiseMax(0.0f);
            const Matrix delta = gaussian(sh.B, sh.C, 7);
            const Matrix W0 = gaussian(sh.H, sh.C, 8);
            Matrix W = W0;
            output_update(out, delta, 0.99f, -0.1f, sh.c0, sh.n, W);
            const MatrixD expected = 0.99 * W0.cast<double>().middleRows(sh.c0, sh.n) -
                                     0.1 * out.cast<double>().middleCols(sh.c0, sh.n).transpose() * delta.cast<double>();
            QVERIFY(close(W.middleRows(sh.c0, sh.n), expected));
            QCOMPARE(W.topRows(sh.c0), W0.topRows(sh.c0));
            QCOMPARE(W.bottomRows(sh.H - sh.c0 - sh.n), W0.bottomRows(sh.H - sh.c0 - sh.n));
        }
    }
};

QTEST_GUILESS_MAIN(TestOutputLayer)
#include "test_output_layer.moc"

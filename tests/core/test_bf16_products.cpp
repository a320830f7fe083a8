// The BF16 products against the same products in double on operands rounded to BF16 here,
// independently (so the only difference left is oneDNN's FP32 summation), and the BF16 training
// step against the FP32 one. Where the CPU or the build has no BF16, the checks of the
// products skip and the refusal is checked instead; ctest also runs that refusal with oneDNN
// held to AVX-512 without BF16 (test_bf16_products_without_bf16).
#include "engine/bf16_products.h"
#include "evaluation.h"
#include "bf16_rounding.h"
#include "random_matrix.h"
#include "synthetic_data.h"
#include "trainer.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>

using namespace digitpad;
using digitpad::testing::gaussian;
using digitpad::testing::rounded;
using digitpad::testing::to_bf16;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

// An input like a digit: non-negative, about 80% zeros.
Matrix digit_like(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    Matrix X = gaussian(rows, cols, seed).cwiseAbs();
    for (Eigen::Index k = 0; k < X.size(); ++k)
        if (k % 5 != 0) X.data()[k] = 0.0f;
    return X;
}

// |got − expected| within FP32 summation error: a few float ulps of Σ|terms| (`scale`).
bool close(const Matrix& got, const MatrixD& expected, const MatrixD& scale) {
    return ((got.cast<double>() - expected).cwiseAbs().array() <= 1e-6 * (scale.array() + 1.0)).all();
}

struct Shape {
    Eigen::Index B, n0, n1;
};
const Shape kShapes[] = {{128, 784, 800}, {5, 13, 10}, {1, 30, 70}, {33, 784, 17}};

#define REQUIRE_BF16() \
    if (!bf16_available()) QSKIP("no BF16 here: the CPU lacks AVX512-BF16/AMX or the build lacks oneDNN")

}  // namespace

class TestBf16Products : public QObject {
    Q_OBJECT
private slots:
    void rounding_reference_is_bf16() {
        QCOMPARE(to_bf16(1.0f), 1.0f);
        QCOMPARE(to_bf16(1.0f + 1.0f / 256), 1.0f);                      // a tie: to even
        QCOMPARE(to_bf16(1.0f + 3.0f / 256), 1.0f + 4.0f / 256);         // a tie: to even, upwards
        QCOMPARE(to_bf16(1.0f + 1.0f / 256 + 1.0f / 4096), 1.0f + 2.0f / 256);  // above the tie
    }

    void forward_is_the_rounded_product() {
        REQUIRE_BF16();
        Bf16Products products;
        for (const Shape& s : kShapes)
            for (bool relu : {false, true}) {
                const Matrix X = digit_like(s.B, s.n0, 1), W = gaussian(s.n0, s.n1, 2);
                const RowVector b = gaussian(1, s.n1, 3);
                Matrix out = Matrix::Constant(3, 3, 9.0f);
                products.forward(X, W, b, relu, out);
                MatrixD expected = (rounded(X) * rounded(W)).rowwise() + b.cast<double>();
                if (relu) expected = expected.cwiseMax(0.0);
                const MatrixD scale = rounded(X).cwiseAbs() * rounded(W).cwiseAbs();
                const QString what = QString("B %1, %2 × %3, relu %4").arg(s.B).arg(s.n0).arg(s.n1).arg(relu);
                QCOMPARE(out.rows(), s.B);
                QCOMPARE(out.cols(), s.n1);
                QVERIFY2(close(out, expected, scale), qPrintable(what));
                // And it is BF16: the unrounded product differs by about BF16's precision (2⁻⁸).
                MatrixD exact = (X.cast<double>() * W.cast<double>()).rowwise() + b.cast<double>();
                if (relu) exact = exact.cwiseMax(0.0);
                const double worst = ((out.cast<double>() - exact).cwiseAbs().array() / (scale.array() + 1e-3)).maxCoeff();
                QVERIFY2(worst > 1e-4 && worst < 1.0 / 128, qPrintable(what + QString(": %1").arg(worst)));
            }
    }

    void update_adds_the_rounded_product_in_fp32() {
        REQUIRE_BF16();
        Bf16Products products;
        const float beta = -0.01f;
        for (const Shape& s : kShapes)
            for (float alpha : {1.0f, 0.9f, 0.0f}) {
                const Matrix X = digit_like(s.B, s.n0, 4), delta = gaussian(s.B, s.n1, 5);
                Matrix W = gaussian(s.n0, s.n1, 6);
                if (alpha == 0.0f) W = Matrix::Constant(2, 2, std::nanf(""));  // overwritten, resized
                const MatrixD W0 = W.cast<double>();
                products.update(X, delta, alpha, beta, W);
                const MatrixD step = rounded(X).transpose() * rounded(beta * delta);
                const MatrixD expected = alpha == 0.0f ? step : MatrixD(alpha * W0 + step);
                const MatrixD scale = rounded(X).transpose().cwiseAbs() * rounded(beta * delta).cwiseAbs();
                QCOMPARE(W.rows(), s.n0);
                QCOMPARE(W.cols(), s.n1);
                const MatrixD kept = alpha == 0.0f ? MatrixD::Zero(s.n0, s.n1) : MatrixD(W0.cwiseAbs());
                QVERIFY2(close(W, expected, scale + kept),
                         qPrintable(QString("B %1, %2 × %3, α %4").arg(s.B).arg(s.n0).arg(s.n1).arg(alpha)));
            }
    }

    void bf16_training_learns_like_fp32() {
        REQUIRE_BF16();
        const Dataset train = testing::synthetic_digits(2000, 2), test = testing::synthetic_digits(500, 3);
        double accuracy[2] = {};
        for (int bf16 : {0, 1}) {
            Network net({784, 100, 10}, 1);
            auto opt = make_optimizer("nesterov", 0.02f);
            TrainingConfig config(2, 32, 1);
            if (bf16) config.precision = TrainingConfig::Precision::bf16;
            Trainer trainer(net, *opt, config);
            QCOMPARE(trainer.run(train, nullptr), TrainingOutcome::finished);
            accuracy[bf16] = evaluate(net, test).accuracy;
        }
        QVERIFY2(accuracy[1] > 0.95 && std::abs(accuracy[1] - accuracy[0]) <= 0.01,
                 qPrintable(QString("FP32 %1, BF16 %2").arg(accuracy[0]).arg(accuracy[1])));
    }

    void refused_without_bf16() {
        if (bf16_available()) QSKIP("this CPU and build have BF16 (test_bf16_products_without_bf16 runs this without)");
        Network net({784, 10, 10}, 1);
        Sgd sgd;
        TrainingConfig config;
        config.precision = TrainingConfig::Precision::bf16;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, Trainer(net, sgd, config));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, Bf16Products());
    }
};

QTEST_GUILESS_MAIN(TestBf16Products)
#include "test_bf16_products.moc"

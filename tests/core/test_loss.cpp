// Softmax + cross-entropy: the paper's appendix F, and numerical stability.
#include "loss.h"

#include <QtTest>

#include <random>

using namespace digitpad;

class TestLoss : public QObject {
    Q_OBJECT
private slots:
    // Appendix F: δ2 = out2 − y is ∂L/∂out2 · J_net2(s), with ∂L/∂out2 = −y / out2 and the
    // softmax Jacobian J = diag(s) − sᵀ s, both formed explicitly here.
    void delta_equals_jacobian_times_loss_gradient() {
        std::mt19937_64 rng(1);
        std::normal_distribution<double> g(0.0, 3.0);
        for (int trial = 0; trial < 50; ++trial) {
            const int n = 2 + trial % 12;
            MatrixT<double> net(1, n);
            for (int k = 0; k < n; ++k) net(0, k) = g(rng);
            const std::vector<std::uint8_t> y{static_cast<std::uint8_t>(rng() % n)};
            MatrixT<double> out, delta;
            softmax_cross_entropy(net, y, out, delta);

            const RowVectorT<double> s = out.row(0);
            const MatrixT<double> J = MatrixT<double>(s.asDiagonal()) - s.transpose() * s;
            RowVectorT<double> dL_dout = RowVectorT<double>::Zero(n);
            dL_dout(y[0]) = -1.0 / s(y[0]);
            const RowVectorT<double> chain = dL_dout * J;
            QVERIFY2((chain - delta.row(0)).cwiseAbs().maxCoeff() < 1e-12, qPrintable(QString("trial %1").arg(trial)));
        }
    }

    void loss_is_minus_log_probability_of_the_label() {
        MatrixT<double> net(2, 3);
        net << 1, 2, 3, 0, 0, 0;
        const std::vector<std::uint8_t> y{2, 1};
        MatrixT<double> out, delta;
        const double L = softmax_cross_entropy(net, y, out, delta);
        const double p0 = std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
        QCOMPARE_LE(std::abs(L - (-(std::log(p0) + std::log(1.0 / 3)) / 2)), 1e-12);
        QCOMPARE_LE(std::abs(out.row(1).sum() - 1.0), 1e-15);
    }

    void huge_logits_stay_finite() {
        MatrixT<float> net(3, 4);
        net << 1000, -1000, 0, 999,  //
            -1000, -1000, -1000, -1000,  //
            1000, 1000, -1000, 1000;
        const std::vector<std::uint8_t> y{1, 0, 2};  // labels whose probability underflows to 0
        MatrixT<float> out, delta;
        const float L = softmax_cross_entropy(net, y, out, delta);
        QVERIFY(std::isfinite(L));
        QVERIFY(out.allFinite());
        QVERIFY(delta.allFinite());
        // Row 0: −ln s_1 = 1000 − (−1000) + ln(1 + e^−1 + e^−1000) = 2000 + ln(1 + e^−1)
        // Row 1: ln 4. Row 2: −ln s_2 = 2000 + ln 3.
        const double expected = (2000 + std::log1p(std::exp(-1.0)) + std::log(4.0) + 2000 + std::log(3.0)) / 3;
        QCOMPARE_LE(std::abs(L - expected), 1e-3 * expected);
        QCOMPARE_LE(std::abs(out(1, 3) - 0.25f), 1e-7f);
    }
};

QTEST_GUILESS_MAIN(TestLoss)
#include "test_loss.moc"

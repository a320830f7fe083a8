// Back-propagation against central finite differences, in double precision, for every
// weight and bias; and the float network against the double one.
#include "loss.h"
#include "network.h"

#include <QtTest>

#include <random>

using namespace digitpad;

namespace {

template <typename Scalar>
MatrixT<Scalar> random_batch(int B, int n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    MatrixT<Scalar> X(B, n);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = static_cast<Scalar>(u(rng));
    return X;
}

std::vector<std::uint8_t> random_labels(int B, int classes, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::uint8_t> y(B);
    for (auto& v : y) v = static_cast<std::uint8_t>(rng() % classes);
    return y;
}

// Random biases too, so that the bias gradients are not checked only at zero.
void randomise_biases(BasicNetwork<double>& net, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, 0.1);
    for (std::size_t j = 0; j < net.layer_count(); ++j)
        for (Eigen::Index k = 0; k < net.layer(j).b.size(); ++k) net.layer(j).b(k) = g(rng);
}

// max over all parameters of |analytic − numeric| / max(|analytic| + |numeric|, 1e-8)
double max_relative_error(BasicNetwork<double>& net, const MatrixT<double>& X, const std::vector<std::uint8_t>& y) {
    Activations<double> act;
    Gradients<double> grad;
    net.forward_loss(X, y, act);
    net.backward(X, act, grad);
    const double h = 1e-5;  // truncation error O(h²) and rounding O(ε/h) balance near here
    double worst = 0;
    auto check = [&](double& param, double analytic) {
        const double saved = param;
        Activations<double> a;
        param = saved + h;
        const double plus = net.forward_loss(X, y, a);
        param = saved - h;
        const double minus = net.forward_loss(X, y, a);
        param = saved;
        const double numeric = (plus - minus) / (2 * h);
        const double err = std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), 1e-8);
        worst = std::max(worst, err);
    };
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        for (Eigen::Index k = 0; k < net.layer(j).W.size(); ++k) check(net.layer(j).W.data()[k], grad.dW[j].data()[k]);
        for (Eigen::Index k = 0; k < net.layer(j).b.size(); ++k) check(net.layer(j).b.data()[k], grad.db[j].data()[k]);
    }
    return worst;
}

}  // namespace

class TestGradients : public QObject {
    Q_OBJECT
private slots:
    void every_parameter_matches_finite_differences_data() {
        QTest::addColumn<std::vector<int>>("sizes");
        QTest::addColumn<int>("batch");
        QTest::newRow("12-7-5-3 (three layers)") << std::vector<int>{12, 7, 5, 3} << 6;
        QTest::newRow("9-6-4 (the paper's two layers)") << std::vector<int>{9, 6, 4} << 5;
        QTest::newRow("8-10 (softmax regression)") << std::vector<int>{8, 10} << 4;
        QTest::newRow("20-16-16-16-10 (deep)") << std::vector<int>{20, 16, 16, 16, 10} << 3;
    }
    void every_parameter_matches_finite_differences() {
        QFETCH(std::vector<int>, sizes);
        QFETCH(int, batch);
        BasicNetwork<double> net(sizes, 42);
        randomise_biases(net, 43);
        const auto X = random_batch<double>(batch, sizes.front(), 44);
        const auto y = random_labels(batch, sizes.back(), 45);
        const double err = max_relative_error(net, X, y);
        qInfo("max relative error %.3g", err);
        QVERIFY2(err < 1e-6, qPrintable(QString("max relative error %1").arg(err)));
    }

    // With dropout the mask is part of the function: the same seed gives the same mask, and
    // the gradient through the kept units (scaled by 1/(1−p)) must match finite differences.
    void dropout_gradients_match_finite_differences() {
        BasicNetwork<double> net({10, 12, 9, 4}, 21);
        randomise_biases(net, 22);
        const auto X = random_batch<double>(5, 10, 23);
        const auto y = random_labels(5, 4, 24);
        auto loss = [&](Activations<double>& a) {
            std::mt19937_64 rng(99);
            return net.forward_loss(X, y, a, {0.3f, &rng});
        };
        Activations<double> act;
        Gradients<double> grad;
        loss(act);
        net.backward(X, act, grad);
        QCOMPARE_LE(std::abs(act.keep_scale - 1 / 0.7), 1e-6);
        const double h = 1e-5;
        double worst = 0;
        int zeroed = 0;
        for (std::size_t j = 0; j < net.layer_count(); ++j)
            for (Eigen::Index k = 0; k < net.layer(j).W.size(); ++k) {
                double& w = net.layer(j).W.data()[k];
                const double saved = w;
                Activations<double> a;
                w = saved + h;
                const double plus = loss(a);
                w = saved - h;
                const double minus = loss(a);
                w = saved;
                const double numeric = (plus - minus) / (2 * h), analytic = grad.dW[j].data()[k];
                worst = std::max(worst, std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), 1e-8));
                zeroed += analytic == 0;
            }
        qInfo("dropout 0.3: max relative error %.3g, %d weights without gradient", worst, zeroed);
        QVERIFY(worst < 1e-6);
        QVERIFY(zeroed > 0);  // dropped units really cut the gradient
    }

    void float_path_agrees_with_double_path() {
        BasicNetwork<double> d({784, 800, 10}, 3);
        const Network f = convert_network<float>(d);
        const auto Xd = random_batch<double>(16, 784, 4);
        const MatrixT<float> Xf = Xd.cast<float>();
        const auto y = random_labels(16, 10, 5);
        Activations<double> ad;
        Activations<float> af;
        Gradients<double> gd;
        Gradients<float> gf;
        const double Ld = d.forward_loss(Xd, y, ad);
        const float Lf = f.forward_loss(Xf, y, af);
        d.backward(Xd, ad, gd);
        f.backward(Xf, af, gf);
        QVERIFY(std::abs(Ld - Lf) < 1e-4 * std::abs(Ld));
        QVERIFY((ad.out.back().cast<float>() - af.out.back()).cwiseAbs().maxCoeff() < 1e-5f);
        for (std::size_t j = 0; j < 2; ++j) {
            const double scale = gd.dW[j].cwiseAbs().maxCoeff();
            QVERIFY((gd.dW[j].cast<float>() - gf.dW[j]).cwiseAbs().maxCoeff() < 1e-4 * scale);
            QVERIFY((gd.db[j].cast<float>() - gf.db[j]).cwiseAbs().maxCoeff() < 1e-4 * scale);
        }
    }

    void predict_equals_a_batch_of_one() {
        const Network net({784, 800, 10}, 11);
        const auto X = random_batch<float>(1, 784, 12);
        Activations<float> act;
        net.forward(X, act);
        MatrixT<float> s;
        softmax_forward(act.net_last, s);
        const auto p = net.predict(std::span<const float>(X.data(), 784));
        for (int k = 0; k < 10; ++k) QVERIFY(std::abs(p[k] - s(0, k)) < 1e-6f);
    }

    // A hand-computed case: one layer, W = [[1, 0], [0, 1]], b = [0, ln 3], x = [0, 0]:
    // net = [0, ln 3], s = [1/4, 3/4]; for y = 0, L = ln 4, δ = [−3/4, 3/4],
    // ∂L/∂b = δ, ∂L/∂W = xᵀ δ = 0.
    void hand_computed_single_layer() {
        BasicNetwork<double> net({2, 2}, 0);
        net.layer(0).W = MatrixT<double>::Identity(2, 2);
        net.layer(0).b = RowVectorT<double>(2);
        net.layer(0).b << 0.0, std::log(3.0);
        MatrixT<double> X = MatrixT<double>::Zero(1, 2);
        const std::vector<std::uint8_t> y{0};
        Activations<double> act;
        Gradients<double> grad;
        QCOMPARE_LE(std::abs(net.forward_loss(X, y, act) - std::log(4.0)), 1e-12);
        net.backward(X, act, grad);
        QCOMPARE_LE(std::abs(grad.db[0](0) + 0.75), 1e-12);
        QCOMPARE_LE(std::abs(grad.db[0](1) - 0.75), 1e-12);
        QCOMPARE_LE(grad.dW[0].cwiseAbs().maxCoeff(), 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestGradients)
#include "test_gradients.moc"

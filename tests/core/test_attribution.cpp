// attribute() (attribution.h): the input gradient against central finite differences of the
// logit in double, the contributions summing to the logit in a network without biases (ReLU
// networks are linear in x between kinks), and out_1 as the forward pass forms it.
#include "attribution.h"

#include <QtTest>

#include <random>

using namespace digitpad;

namespace {

std::vector<float> random_image(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> v(0.0f, 1.0f);
    std::bernoulli_distribution ink(0.3);
    std::vector<float> x(784);
    for (float& p : x) p = ink(rng) ? v(rng) : 0.0f;
    return x;
}

}  // namespace

class TestAttribution : public QObject {
    Q_OBJECT
private slots:
    void gradient_is_the_logits_slope() {
        for (const std::vector<int>& sizes : {std::vector<int>{784, 64, 10}, std::vector<int>{784, 32, 16, 10}}) {
            Network net(sizes, 4);
            for (std::size_t j = 0; j < net.layer_count(); ++j) net.layer(j).b.setConstant(0.05f);
            const std::vector<float> x = random_image(5);
            const int cls = 3;
            const Attribution a = attribute(net, x, cls);
            const BasicNetwork<double> ref = convert_network<double>(net);
            std::vector<double> xd(x.begin(), x.end());
            const double h = 1e-5;
            for (int i = 0; i < 784; i += 7) {  // pixels with ink and without
                std::vector<double> up = xd, down = xd;
                up[static_cast<std::size_t>(i)] += h;
                down[static_cast<std::size_t>(i)] -= h;
                const double slope = (ref.logits(up)[cls] - ref.logits(down)[cls]) / (2 * h);
                QVERIFY2(std::abs(a.gradient[static_cast<std::size_t>(i)] - slope) <= 1e-4 * (1 + std::abs(slope)),
                         qPrintable(QString("pixel %1: %2 vs %3").arg(i).arg(a.gradient[static_cast<std::size_t>(i)]).arg(slope)));
                QCOMPARE(a.contribution[static_cast<std::size_t>(i)], x[static_cast<std::size_t>(i)] * a.gradient[static_cast<std::size_t>(i)]);
            }
        }
    }

    void without_biases_the_contributions_sum_to_the_logit() {
        Network net({784, 100, 10}, 6);
        for (std::size_t j = 0; j < net.layer_count(); ++j) net.layer(j).b.setZero();
        const std::vector<float> x = random_image(7);
        for (int cls : {0, 7}) {
            const Attribution a = attribute(net, x, cls);
            double sum = 0;
            for (float c : a.contribution) sum += c;
            QVERIFY2(std::abs(sum - a.logits[static_cast<std::size_t>(cls)]) <= 1e-4 * (1 + std::abs(sum)),
                     qPrintable(QString("%1 vs %2").arg(sum).arg(a.logits[static_cast<std::size_t>(cls)])));
        }
    }

    void hidden_is_out_1() {
        const Network net({784, 50, 10}, 8);
        const std::vector<float> x = random_image(9);
        const Attribution a = attribute(net, x, 1);
        const RowVector expected =
            (Eigen::Map<const RowVector>(x.data(), 784) * net.layer(0).W + net.layer(0).b).cwiseMax(0.0f);
        QCOMPARE(a.hidden.size(), 50u);
        for (int j = 0; j < 50; ++j) QVERIFY(std::abs(a.hidden[static_cast<std::size_t>(j)] - expected(j)) <= 1e-5f);
        const std::vector<float> z = net.logits(x);
        for (std::size_t k = 0; k < z.size(); ++k) QVERIFY(std::abs(a.logits[k] - z[k]) <= 1e-5f);
        QVERIFY(attribute(Network({784, 10}, 1), x, 0).hidden.empty());  // no hidden layer
    }
};

QTEST_GUILESS_MAIN(TestAttribution)
#include "test_attribution.moc"

// The energy score and the line drawn on known digits, against hand-computed values.
#include "familiar_digits.h"
#include "familiarity.h"
#include "familiarity_thread.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <thread>

using namespace digitpad;

namespace {

// A 784-10 network whose first logit is a · (the image's ink, in pixels of full ink) and the
// others 0: its energy is −log(e^(a·ink) + 9).
Network ink_counter(float a) {
    Network net({784, 10});
    net.layer(0).W.setZero();
    net.layer(0).W.col(0).setConstant(a);
    net.layer(0).b.setZero();
    return net;
}

}  // namespace

class TestFamiliarity : public QObject {
    Q_OBJECT
private slots:
    void energy_is_minus_log_sum_exp() {
        const float logits[] = {0.0f, std::log(3.0f)};
        QCOMPARE_LE(std::abs(energy(logits) + std::log(4.0)), 1e-6);
        // Large logits do not overflow: −log(e^1000 + e^999) = −1000 − log(1 + 1/e).
        const float large[] = {1000.0f, 999.0f};
        QCOMPARE_LE(std::abs(energy(large) + 1000.0 + std::log1p(std::exp(-1.0))), 1e-4);
        // The more sure and the larger the logits, the lower the energy.
        const float sure[] = {12.0f, 0.0f}, unsure[] = {1.0f, 1.0f};
        QVERIFY(energy(sure) < energy(unsure));
    }

    void the_line_leaves_the_share_of_known_digits_under_it() {
        // Digit i has i + 1 pixels of full ink, so energies fall as i grows.
        Dataset digits;
        for (int i = 0; i < 100; ++i) {
            std::vector<std::uint8_t> image(kImagePixels, 0);
            std::fill_n(image.begin(), i + 1, std::uint8_t{255});
            digits.images.insert(digits.images.end(), image.begin(), image.end());
            digits.labels.push_back(static_cast<std::uint8_t>(i % 10));
        }
        const float a = 0.5f;
        const Network net = ink_counter(a);
        auto energy_of_ink = [&](int ink) { return -std::log(std::exp(a * ink) + 9.0); };
        // 99 of the 100 at or under the line: every digit but the one of a single pixel.
        const Familiarity f = calibrate_familiarity(net, digits, 0.99);
        QCOMPARE_LE(std::abs(f.max_energy - energy_of_ink(2)), 1e-5);
        QVERIFY(f.familiar(energy_of_ink(2) - 1e-5));
        QVERIFY(!f.familiar(energy_of_ink(1)));
        // Half: the line at the 50th smallest energy, the digit of 51 pixels.
        QCOMPARE_LE(std::abs(calibrate_familiarity(net, digits, 0.5).max_energy - energy_of_ink(51)), 1e-5);
        // All of them: the largest energy.
        QCOMPARE_LE(std::abs(calibrate_familiarity(net, digits, 1.0).max_energy - energy_of_ink(1)), 1e-5);
        // With no line drawn everything is familiar; with no digits there is none to draw.
        QVERIFY(Familiarity{}.familiar(1e30));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, calibrate_familiarity(net, Dataset{}));
        // Cancelled (the window closing, another model chosen): no line.
        const std::atomic<bool> cancelled{true};
        QVERIFY(std::isinf(calibrate_familiarity(net, digits, 0.99, &cancelled).max_energy));
    }

    // The window's line is drawn on a thread of its own: the line builtin_familiarity draws on
    // the calling thread, for the network handed over, delivered on this thread.
    void the_line_is_drawn_on_a_thread_and_delivered_here() {
        const auto net = std::make_shared<const Network>(Network({784, 800, 10}, 3));
        FamiliarityThread thread;
        std::vector<std::pair<std::shared_ptr<const Network>, double>> drawn;
        connect(&thread, &FamiliarityThread::drawn, this, [&](const std::shared_ptr<const Network>& n, Familiarity line) {
            QCOMPARE(QThread::currentThread(), QCoreApplication::instance()->thread());
            drawn.emplace_back(n, line.max_energy);
        });
        thread.draw(net);
        QTRY_COMPARE_WITH_TIMEOUT(drawn.size(), 1u, 60000);
        QCOMPARE(drawn[0].first, net);
        QCOMPARE(drawn[0].second, builtin_familiarity(*net).max_energy);
        QVERIFY(std::isfinite(drawn[0].second));
    }

    // Another model chosen while a line is drawn: only the last model's line arrives. Stopped:
    // none does, even one already posted.
    void only_the_last_line_arrives_and_none_once_stopped() {
        const auto first = std::make_shared<const Network>(Network({784, 800, 10}, 4));
        const auto second = std::make_shared<const Network>(Network({784, 800, 10}, 5));
        FamiliarityThread thread;
        std::vector<std::shared_ptr<const Network>> drawn;
        connect(&thread, &FamiliarityThread::drawn, this,
                [&](const std::shared_ptr<const Network>& n, Familiarity) { drawn.push_back(n); });
        thread.draw(first);
        thread.draw(second);
        QTRY_COMPARE_WITH_TIMEOUT(drawn.size(), 1u, 60000);
        QCOMPARE(drawn[0], second);
        QTest::qWait(50);
        QCOMPARE(drawn.size(), 1u);

        thread.draw(first);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // time to draw and post it, not to deliver it
        thread.stop();
        QCoreApplication::processEvents();
        QCOMPARE(drawn.size(), 1u);
    }
};

QTEST_GUILESS_MAIN(TestFamiliarity)
#include "test_familiarity.moc"

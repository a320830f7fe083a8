// The chart's loss series: its smoothing against hand-computed averages, appending against
// smoothing from scratch, and the decimated copy against the losses it stands for.
#include "loss_series.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace digitpad;

class TestLossSeries : public QObject {
    Q_OBJECT
private slots:
    void smoothing_is_a_debiased_moving_average() {
        LossSeries s;
        s.set_smoothing(0.5);
        const float first[] = {4.0f, 2.0f, 1.0f};
        s.append(0, first);
        // ema: 2, 2, 1.5; debiased by 1 − 0.5^k: 4, 2/0.75, 1.5/0.875
        QCOMPARE_LE(std::abs(s.smoothed()[0] - 4.0), 1e-9);
        QCOMPARE_LE(std::abs(s.smoothed()[1] - 2.0 / 0.75), 1e-9);
        QCOMPARE_LE(std::abs(s.smoothed()[2] - 1.5 / 0.875), 1e-9);
        const float next[] = {1.0f};
        s.append(3, next);  // appending continues the same average
        QCOMPARE_LE(std::abs(s.smoothed()[3] - (0.5 * 1.5 + 0.5) / 0.9375), 1e-9);
        s.set_smoothing(0);  // no smoothing: the raw losses
        QCOMPARE(s.smoothed()[1], 2.0);
        s.set_smoothing(5);  // held below 1, where the average would never move
        QCOMPARE(s.smoothing(), 0.999);
    }

    void appending_in_reports_equals_smoothing_at_once() {
        std::vector<float> losses(1000);
        for (std::size_t i = 0; i < losses.size(); ++i) losses[i] = 2.0f / (1.0f + 0.01f * static_cast<float>(i)) + 0.1f * static_cast<float>(i % 3);
        losses[500] = std::numeric_limits<float>::quiet_NaN();  // a diverged batch carries the average on
        LossSeries whole, reports;
        whole.append(0, losses);
        for (std::size_t first = 0; first < losses.size(); first += 37)
            reports.append(first, std::span(losses).subspan(first, std::min<std::size_t>(37, losses.size() - first)));
        QCOMPARE(reports.size(), losses.size());
        for (std::size_t i = 0; i < losses.size(); ++i) QCOMPARE_LE(std::abs(reports.smoothed()[i] - whole.smoothed()[i]), 1e-9);
        // The NaN counts as the average so far: the line goes on, finite, where it was.
        QVERIFY(std::isfinite(whole.smoothed()[500]) && std::isfinite(whole.smoothed()[999]));
        QCOMPARE_LE(std::abs(whole.smoothed()[500] - whole.smoothed()[499]), 1e-3);
    }

    void decimation_keeps_each_buckets_extremes() {
        LossSeries s;
        std::vector<float> losses(10000, 1.0f);
        losses[1234] = 9.0f;  // a spike
        losses[8765] = 0.125f;
        losses[4000] = std::numeric_limits<float>::infinity();
        s.append(0, losses);
        const LossSeries::Decimated d = s.decimate(100);
        QVERIFY(d.raw.size() <= 200);
        QCOMPARE(d.smooth.size(), std::size_t{100});
        QCOMPARE(d.highest, 9.0);
        QCOMPARE(d.lowest, 0.125);
        auto has = [&](double batch, double loss) {
            return std::any_of(d.raw.begin(), d.raw.end(), [&](const LossSeries::Point& p) { return p.batch == batch && p.loss == loss; });
        };
        QVERIFY(has(1235, 9.0));  // batches are 1-based
        QVERIFY(has(8766, 0.125));
        for (const LossSeries::Point& p : d.raw) QVERIFY(std::isfinite(p.loss));
        for (std::size_t k = 1; k < d.raw.size(); ++k) QVERIFY(d.raw[k].batch > d.raw[k - 1].batch);
        QCOMPARE(d.smooth.back().batch, 10000.0);
        QCOMPARE(d.smooth.back().loss, s.smoothed().back());
        // Fewer batches than buckets: every loss is drawn once.
        LossSeries few;
        const float three[] = {3.0f, 2.0f, 1.0f};
        few.append(0, three);
        QCOMPARE(few.decimate(100).raw.size(), std::size_t{3});
        QCOMPARE(LossSeries().decimate(100).raw.size(), std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(TestLossSeries)
#include "test_loss_series.moc"

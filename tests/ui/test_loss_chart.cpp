// The live chart: every point kept, a bounded number drawn, smoothing as TensorBoard does
// it, and exports that round-trip.
#include "atomic_file.h"
#include "loss_chart.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <QtTest>

#include <cmath>

using namespace digitpad;

class TestLossChart : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private slots:
    void keeps_all_points_and_draws_a_bounded_number() {
        LossChart chart;
        chart.resize(800, 400);
        chart.show();
        // 100,000 batches in reports of 500, as a long run delivers them.
        for (int r = 0; r < 200; ++r) {
            QVector<float> losses(500);
            for (int i = 0; i < 500; ++i) losses[i] = 2.0f * std::exp(-(r * 500 + i) / 20000.0f) + 0.01f * (i % 7);
            chart.appendBatchLosses(r * 500, losses);
        }
        QCOMPARE(chart.batchCount(), qint64{100000});
        QTRY_VERIFY(chart.drawnRawPoints() > 0);
        QVERIFY(chart.drawnRawPoints() <= 2 * LossChart::kMaxBuckets);
    }

    // The slider's weight reaches the series the chart draws (LossSeries has the arithmetic's tests).
    void smoothing_reaches_the_series() {
        LossChart chart;
        chart.appendBatchLosses(0, {4.0f, 2.0f, 1.0f});
        chart.setSmoothing(0);
        QCOMPARE(chart.series().smoothed()[1], 2.0);
        chart.setSmoothing(0.5);
        QCOMPARE_LE(std::abs(chart.series().smoothed()[1] - 2.0 / 0.75), 1e-9);
    }

    void log_scale_and_zoom_reset_keep_the_data() {
        LossChart chart;
        chart.resize(600, 300);
        chart.show();
        chart.appendBatchLosses(0, {2.0f, 1.0f, 0.5f, 0.25f});
        chart.setLogScale(true);
        QVERIFY(chart.logScale());
        chart.resetZoom();
        chart.setLogScale(false);
        QCOMPARE(chart.batchCount(), qint64{4});
    }

    // #16 item 11: whole-batch ticks on the batch axis (empty, and after 37 batches), a loss
    // axis whose labels stay short for any loss, an accuracy axis on a stable floor.
    void axes_have_readable_ticks() {
        LossChart chart;
        const auto* view = chart.findChild<QChartView*>();
        QVERIFY(view);
        auto axis = [&](Qt::Alignment where) {
            for (QAbstractAxis* a : view->chart()->axes())
                if (a->alignment() == where) return a;
            return static_cast<QAbstractAxis*>(nullptr);
        };
        auto* batches = qobject_cast<QValueAxis*>(axis(Qt::AlignBottom));
        QVERIFY(batches);
        auto whole_ticks = [&] {
            const double step = batches->tickInterval();
            return batches->tickType() == QValueAxis::TicksDynamic && step >= 1 && step == std::floor(step) &&
                   batches->max() == std::floor(batches->max());
        };
        QVERIFY(whole_ticks());
        QCOMPARE(batches->max(), 10.0);
        QVector<float> losses(37, 0.5f);
        losses[0] = 1e8f;  // a diverging first batch
        chart.setSmoothing(0);
        chart.appendBatchLosses(0, losses);
        chart.appendEpoch({1, 36, 0.5, 0.4, 0.97, 1.0});
        QTRY_VERIFY(batches->max() >= 37);  // the chart redraws on a timer
        QVERIFY(whole_ticks());
        auto* loss = qobject_cast<QValueAxis*>(axis(Qt::AlignLeft));
        QVERIFY(loss);
        QCOMPARE(loss->labelFormat(), QString("%.3g"));
        auto* accuracy = qobject_cast<QValueAxis*>(axis(Qt::AlignRight));
        QTRY_COMPARE(accuracy->min(), 90.0);  // 97%: the axis runs 90-100
        QCOMPARE(accuracy->labelFormat(), QString("%g"));  // 90, 92.5, … 100: no "100.0"
        chart.appendEpoch({2, 36, 0.5, 0.4, 0.955, 1.0});
        QTest::qWait(300);
        QCOMPARE(accuracy->min(), 90.0);  // a dip of a point and a half does not move it
    }

    // The loss axis ticks at 1, 2, 2.5 or 5 times a power of ten (0, 0.5, … 2.5, not 0.625 and
    // 1.875), on the range a zoom makes too, and so does the batch axis.
    void the_loss_axis_ticks_at_round_numbers() {
        LossChart chart;
        chart.resize(600, 300);
        chart.show();
        auto* view = chart.findChild<QChartView*>();
        QVERIFY(view);
        QValueAxis *loss = nullptr, *batches = nullptr;
        for (QAbstractAxis* a : view->chart()->axes()) {
            if (a->alignment() == Qt::AlignLeft) loss = qobject_cast<QValueAxis*>(a);
            if (a->alignment() == Qt::AlignBottom) batches = qobject_cast<QValueAxis*>(a);
        }
        QVERIFY(loss && batches);
        QCOMPARE(loss->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(loss->tickAnchor(), 0.0);
        chart.setSmoothing(0);
        chart.appendBatchLosses(0, QVector<float>{2.3f, 1.2f, 0.6f, 0.4f, 0.3f});
        QTRY_COMPARE(loss->max(), 2.5);  // the chart redraws on a timer
        QCOMPARE(loss->tickInterval(), 0.5);
        chart.appendBatchLosses(5, QVector<float>(400, 0.2f));
        QTRY_VERIFY(batches->max() >= 405);
        QCOMPARE(batches->tickInterval(), 200.0);  // the axis runs to 500
        view->chart()->zoomIn(QRectF(view->chart()->plotArea().center(), QSizeF(20, 20)));
        QVERIFY(loss->max() - loss->min() < 0.5);
        QVERIFY(loss->tickInterval() < loss->max() - loss->min());  // a tick or more inside the zoom
        QVERIFY(batches->tickInterval() < batches->max() - batches->min());
        for (double step : {loss->tickInterval(), batches->tickInterval()}) {
            const double m = step / std::pow(10.0, std::floor(std::log10(step)));
            QVERIFY2(std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 2.5) < 1e-9 || std::abs(m - 5) < 1e-9,
                     qPrintable(QString::number(step)));
        }
    }

    // A new run keeps the one before as a faint line named by its recipe; it can be hidden, and
    // the CSV has the shown runs, each row named; clear() forgets them all.
    void earlier_runs_stay_beside_the_current_one() {
        LossChart chart;
        chart.resize(600, 300);
        chart.show();
        chart.setSmoothing(0);
        chart.startRun("sgd eta=0.1 batch=32");
        chart.appendBatchLosses(0, {2.0f, 1.0f});
        chart.startRun("adam eta=0.001 batch=64");
        QCOMPARE(chart.earlierRunCount(), 1);
        QCOMPARE(chart.earlierRunName(0), QString("sgd eta=0.1 batch=32"));
        QCOMPARE(chart.batchCount(), 0);
        chart.appendBatchLosses(0, {1.5f});
        const QString csv = dir.filePath("runs.csv");
        auto rows = [&] {
            QFile f(csv);
            if (!f.open(QIODevice::ReadOnly)) return QStringList();
            return QString(f.readAll()).split('\n', Qt::SkipEmptyParts);
        };
        QVERIFY(chart.exportCsv(csv));
        QCOMPARE(rows(), (QStringList{"run,batch,train_loss,smoothed_loss,epoch,test_loss,test_accuracy",
                                      "\"sgd eta=0.1 batch=32\",1,2,2,,,", "\"sgd eta=0.1 batch=32\",2,1,1,,,",
                                      "\"adam eta=0.001 batch=64\",1,1.5,1.5,,,"}));
        chart.setEarlierRunVisible(0, false);
        QVERIFY(!chart.earlierRunVisible(0));
        QVERIFY(chart.exportCsv(csv));
        QCOMPARE(rows().size(), 2);  // the header and the current run
        for (int k = 0; k < LossChart::kEarlierRuns + 2; ++k) {
            chart.appendBatchLosses(chart.batchCount(), {1.0f});
            chart.startRun(QString("run %1").arg(k));
        }
        QCOMPARE(chart.earlierRunCount(), LossChart::kEarlierRuns);  // the oldest go
        chart.clear();
        QCOMPARE(chart.earlierRunCount(), 0);
    }

    void csv_and_png_exports() {
        LossChart chart;
        chart.resize(600, 300);
        chart.show();
        chart.setSmoothing(0);
        chart.appendBatchLosses(0, {1.5f, 1.0f, 0.5f});
        chart.appendEpoch({1, 2, 1.0, 0.75, 0.9, 1.0});
        const QString csv = dir.filePath("t.csv");
        QVERIFY(chart.exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QString("run,batch,train_loss,smoothed_loss,epoch,test_loss,test_accuracy"));
        QCOMPARE(lines[1], QString("\"this run\",1,1.5,1.5,,,"));
        QCOMPARE(lines[3], QString("\"this run\",3,0.5,0.5,1,0.75,0.9"));
        const QString png = dir.filePath("t.png");
        QVERIFY(chart.exportPng(png));
        QVERIFY(!QImage(png).isNull());
        QString error;
        QVERIFY(!chart.exportCsv(dir.filePath("missing/dir/t.csv"), &error));
        QVERIFY2(error.contains("No such file or directory"), qPrintable(error));
        // What the buttons save: the format's suffix added where the name has none.
        QCOMPARE(chart.exportTo(dir.filePath("plain"), LossChart::Export::csv), dir.filePath("plain.csv"));
        QCOMPARE(chart.exportTo(dir.filePath("pic.PNG"), LossChart::Export::png), dir.filePath("pic.PNG"));
        QVERIFY(!QImage(dir.filePath("pic.PNG")).isNull());
        QVERIFY(chart.exportTo(dir.filePath("missing/x"), LossChart::Export::png, &error).isEmpty());
    }

    // A disk that fails while an export is written leaves the previous export as it was.
    void a_failed_export_keeps_the_previous_file() {
        LossChart chart;
        chart.appendBatchLosses(0, {1.5f, 1.0f});
        const QString csv = dir.filePath("keep.csv");
        QVERIFY(chart.exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        chart.appendBatchLosses(1, {0.5f});
        for (SaveStep step : {SaveStep::write, SaveStep::flush, SaveStep::rename}) {
            fail_next_save_at(step);
            QString error;
            QVERIFY(!chart.exportCsv(csv, &error));
            QVERIFY(!error.isEmpty());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);
            f.close();
            QCOMPARE(QDir(dir.path()).entryList({"*keep*"}, QDir::Files | QDir::Hidden), QStringList{"keep.csv"});
        }
    }
};

QTEST_MAIN(TestLossChart)
#include "test_loss_chart.moc"

// The training worker on its own thread: progress, pause, stop, divergence, drawings, and
// shutting down with news still queued.
#include "training_fixture.h"

#include "dataset.h"
#include "drawing_canvas.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "recipe_form.h"
#include "training_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>

#include <random>

using namespace digitpad;
using namespace digitpad::testing;

class TestTrainingWorker : public QObject, public TrainingFixture {
    Q_OBJECT

private slots:
    void initTestCase() { writeData(); }

    // The worker's reports: losses between them, the speed as a moving average, hand-computed.
    void the_progress_meter_reports_losses_speed_and_time_left() {
        using namespace std::chrono_literals;
        const ProgressMeter::Clock::time_point t0{};
        ProgressMeter meter(2, 10, 32, 33ms, t0);  // 20 batches of 32
        QVERIFY(!meter.report(t0 + 50ms));        // nothing added: nothing to report
        for (int b = 1; b <= 3; ++b) meter.add({1, static_cast<std::size_t>(b), 10, 0.5f * b});
        QVERIFY(!meter.due(t0 + 20ms));
        QVERIFY(meter.due(t0 + 33ms));
        const auto first = meter.report(t0 + 100ms);  // 3 batches in 0.1 s
        QVERIFY(first);
        QCOMPARE(first->losses, QVector<float>({0.5f, 1.0f, 1.5f}));
        QCOMPARE(first->firstBatch, 0);
        QCOMPARE(first->batch, 3);
        QCOMPARE_LE(std::abs(first->samplesPerSecond - 30.0 * 32), 1e-9);
        QCOMPARE_LE(std::abs(first->secondsLeft - 17.0 / 30), 1e-9);
        for (int b = 4; b <= 5; ++b) meter.add({1, static_cast<std::size_t>(b), 10, 1.0f});
        const auto second = meter.report(t0 + 200ms);  // 2 in 0.1 s: 0.8 · 30 + 0.2 · 20 = 28 a second
        QCOMPARE(second->firstBatch, 3);
        QCOMPARE_LE(std::abs(second->samplesPerSecond - 28.0 * 32), 1e-9);
        QCOMPARE_LE(std::abs(second->secondsLeft - 15.0 / 28), 1e-9);
        // Two reports the UI has not taken yet become one: every loss, the newer figures.
        std::optional<TrainingProgress> unread;
        merge_progress(unread, *first);
        merge_progress(unread, *second);
        QCOMPARE(unread->losses, QVector<float>({0.5f, 1.0f, 1.5f, 1.0f, 1.0f}));
        QCOMPARE(unread->firstBatch, 0);
        QCOMPARE(unread->batch, 5);
        QCOMPARE(unread->samplesPerSecond, second->samplesPerSecond);
    }

    void trains_to_the_end_with_progress() {
        WorkerThread w;
        Recorder r(w.worker);
        QElapsedTimer clock;
        clock.start();
        w.train(request(3));
        QVERIFY(r.waitFinished(60000));
        const double seconds = clock.elapsed() / 1000.0;
        QCOMPARE(r.finished.first().end, TrainingEnd::finished);
        const auto net = r.finished.first().network;
        QVERIFY(net && net->all_finite());
        QCOMPARE(r.finished.first().info.epochs, 3u);
        QVERIFY(r.finished.first().info.test_accuracy > 0.9);
        QCOMPARE(r.epochs.size(), 3);
        QVERIFY(r.snapshots >= 1);
        // Every batch loss arrives exactly once, in order, in at most ~30 reports a second.
        qint64 next = 0;
        for (const TrainingProgress& p : r.progress) {
            QCOMPARE(p.firstBatch, next);
            next += p.losses.size();
        }
        QCOMPARE(next, qint64{3 * 125});
        // (The UI takes updates as they come, so it sees at most as many as the worker sent.)
        QVERIFY2(r.progress.size() <= seconds * 1000 / TrainingWorker::kProgressIntervalMs + 3 + 2,
                 qPrintable(QString("%1 reports in %2 s").arg(r.progress.size()).arg(seconds)));
    }

    void pause_and_resume() {
        WorkerThread w;
        Recorder r(w.worker);
        w.train(request(200));
        QVERIFY(r.waitProgress(30000));
        w.worker->setPaused(true);
        QTest::qWait(150);  // pause takes effect within a batch
        const auto before = r.progress.size();
        QTest::qWait(400);
        QCOMPARE(r.progress.size(), before);  // nothing moves while paused
        w.worker->setPaused(false);
        QVERIFY(r.waitProgress(5000));  // and it goes on
        w.worker->stop();
        QVERIFY(r.waitFinished(5000));
        QCOMPARE(r.finished.first().end, TrainingEnd::stopped);
    }

    void stop_keeps_the_last_batch() {
        WorkerThread w;
        Recorder r(w.worker);
        w.train(request(200));
        QVERIFY(r.waitProgress(30000));
        QElapsedTimer clock;
        clock.start();
        w.worker->stop();
        QVERIFY(r.waitFinished(5000));
        qInfo("stop took effect in %lld ms", clock.elapsed());
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(r.finished.first().end, TrainingEnd::stopped);
        QVERIFY(r.finished.first().network && r.finished.first().network->all_finite());
        const QString message = r.finished.first().message;  // "… after 1 batch: …", "… after 37 batches: …"
        QVERIFY2(QRegularExpression("^Training stopped after (1 batch|([02-9]|[1-9][0-9]+) batches): [0-9.]+% on the test set\\.$")
                     .match(message)
                     .hasMatch(),
                 qPrintable(message));
    }

    void divergence_rolls_back_to_finite_weights() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest bad = request(5);
        bad.recipe.eta = 1e30f;
        w.train(bad);
        QVERIFY(r.waitFinished(30000));
        QCOMPARE(r.finished.first().end, TrainingEnd::diverged);
        QVERIFY(r.finished.first().network && r.finished.first().network->all_finite());
        QVERIFY(r.finished.first().message.contains("diverged"));
    }

    void bad_data_folder_fails_with_a_message() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest bad = request(1);
        bad.dataDir = data.filePath("nowhere");
        w.train(bad);
        QVERIFY(r.waitFinished(10000));
        QCOMPARE(r.finished.first().end, TrainingEnd::failed);
        QVERIFY(!r.finished.first().network);
        QVERIFY(r.finished.first().message.contains("no train-images"));
    }

    void drawings_train_beside_the_scans() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest req = request(2);
        req.recipe.drawings.strokes = DIGITPAD_SOURCE_DIR "/tests/data/hand_drawn.jsonl";  // 10 drawings
        req.recipe.drawings.stroke_copies = 3;
        req.recipe.drawings.scans_share = 0.75;
        req.recipe.drawings.strokes_share = 0.25;
        w.train(req);
        QVERIFY(r.waitFinished(60000));
        const TrainingResult& result = r.finished.first();
        QCOMPARE(result.end, TrainingEnd::finished);
        // An epoch is as many full batches of 16 as 2,000 scans and 30 renderings fill.
        QCOMPARE(r.progress.last().batchesPerEpoch, qint64{(2000 + 30 + 15) / 16});
        QVERIFY2(QString::fromStdString(result.info.recipe).contains("strokes=hand_drawn.jsonl copies=3"),
                 result.info.recipe.c_str());
        QVERIFY(QString::fromStdString(result.info.dataset).contains("hand_drawn.jsonl"));
        // Before the first batch, how far the rendering is: the drawings' step alone, to its end.
        QVERIFY(!r.preparations.isEmpty());
        for (const Preparation& p : r.preparations) QCOMPARE(p.step, Preparing::drawings);
        QCOMPARE(r.preparations.last().done, 1.0);
    }

    // Closing the window while the worker's updated() signals wait in the UI thread's queue:
    // they must not reach the worker that shutdown() deleted (ASan saw a use-after-free here).
    void shutting_down_with_updates_queued_is_safe() {
        auto panel = std::make_unique<TrainingPanel>();
        panel->setRequest(request(200));
        QSignalSpy started(panel.get(), &TrainingPanel::snapshot);
        panel->start();
        QVERIFY(started.wait(30000));
        QThread::msleep(150);  // the worker reports; the UI thread takes nothing meanwhile
        panel->shutdown();
        QVERIFY(panel->session()->isShutDown());
        QCoreApplication::processEvents();  // the queued updated() calls arrive now
        panel->start();                     // and a Start after shutdown does nothing
        QVERIFY(!panel->isTraining());
        panel.reset();
        QCoreApplication::processEvents();
    }

    void a_missing_drawings_file_fails_with_a_message() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest bad = request(1);
        bad.recipe.drawings.strokes = data.filePath("no-such-drawings.jsonl").toStdString();
        w.train(bad);
        QVERIFY(r.waitFinished(10000));
        QCOMPARE(r.finished.first().end, TrainingEnd::failed);
        QVERIFY(!r.finished.first().network);
        QVERIFY2(r.finished.first().message.contains("no-such-drawings.jsonl"), qPrintable(r.finished.first().message));
    }
};

QTEST_MAIN(TestTrainingWorker)
#include "test_training_worker.moc"

// The training worker on its own thread: progress, pause, stop, divergence, and the app
// closing mid-training.
#include "dataset.h"
#include "drawing_canvas.h"
#include "idx_writer.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "synthetic_data.h"
#include "training_panel.h"
#include "training_worker.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace digitpad;

namespace {

void write_dataset(const QString& dir, const char* stem, const Dataset& d) {
    testing::write_file(dir + "/" + stem + "-images-idx3-ubyte.gz",
                        testing::idx_images(d.images, static_cast<std::uint32_t>(d.size())), true);
    testing::write_file(dir + "/" + stem + "-labels-idx1-ubyte.gz", testing::idx_labels(d.labels), true);
}

// A worker on its own thread, as the panel runs it.
struct WorkerThread {
    QThread thread;
    TrainingWorker* worker = new TrainingWorker;
    WorkerThread() {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
    }
    ~WorkerThread() {
        worker->stop();
        thread.quit();
        thread.wait();
    }
    void train(const TrainingRequest& r) {
        QMetaObject::invokeMethod(worker, [w = worker, r] { w->train(r); }, Qt::QueuedConnection);
    }
};

}  // namespace

class TestTrainingWorker : public QObject {
    Q_OBJECT
    QTemporaryDir data;

    TrainingRequest request(int epochs, int hidden = 64) {
        TrainingRequest r;
        r.dataDir = data.path();
        r.sizes = {784, hidden, 10};
        r.epochs = epochs;
        r.batchSize = 16;
        r.eta = 0.05f;
        return r;
    }

private slots:
    void initTestCase() {
        qRegisterMetaType<TrainingProgress>();
        qRegisterMetaType<EpochSummary>();
        qRegisterMetaType<TrainingEnd>();
        qRegisterMetaType<ModelInfo>();
        qRegisterMetaType<std::shared_ptr<const Network>>();
        write_dataset(data.path(), "train", testing::synthetic_digits(2000, 1));
        write_dataset(data.path(), "t10k", testing::synthetic_digits(300, 2));
    }

    void trains_to_the_end_with_progress() {
        WorkerThread w;
        QSignalSpy progress(w.worker, &TrainingWorker::progress);
        QSignalSpy epochs(w.worker, &TrainingWorker::epochFinished);
        QSignalSpy snapshots(w.worker, &TrainingWorker::snapshot);
        QSignalSpy finished(w.worker, &TrainingWorker::finished);
        QElapsedTimer clock;
        clock.start();
        w.train(request(3));
        QVERIFY(finished.wait(60000));
        const double seconds = clock.elapsed() / 1000.0;
        QCOMPARE(finished.first()[0].value<TrainingEnd>(), TrainingEnd::finished);
        const auto net = finished.first()[1].value<std::shared_ptr<const Network>>();
        QVERIFY(net && net->all_finite());
        const auto info = finished.first()[2].value<ModelInfo>();
        QCOMPARE(info.epochs, 3u);
        QVERIFY(info.test_accuracy > 0.9);
        QCOMPARE(epochs.count(), 3);
        QVERIFY(snapshots.count() >= 1);
        // Every batch loss arrives exactly once, in order, in at most ~30 reports a second.
        qint64 next = 0;
        for (const auto& args : progress) {
            const auto p = args[0].value<TrainingProgress>();
            QCOMPARE(p.firstBatch, next);
            next += p.losses.size();
        }
        QCOMPARE(next, qint64{3 * 125});
        QVERIFY2(progress.count() <= seconds * 1000 / TrainingWorker::kProgressIntervalMs + 3 + 2,
                 qPrintable(QString("%1 reports in %2 s").arg(progress.count()).arg(seconds)));
    }

    void pause_and_resume() {
        WorkerThread w;
        QSignalSpy progress(w.worker, &TrainingWorker::progress);
        QSignalSpy finished(w.worker, &TrainingWorker::finished);
        w.train(request(200));
        QVERIFY(progress.wait(30000));
        w.worker->setPaused(true);
        QTest::qWait(150);  // pause takes effect within a batch
        const int before = progress.count();
        QTest::qWait(400);
        QCOMPARE(progress.count(), before);  // nothing moves while paused
        w.worker->setPaused(false);
        QVERIFY(progress.wait(5000));  // and it goes on
        w.worker->stop();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first()[0].value<TrainingEnd>(), TrainingEnd::stopped);
    }

    void stop_keeps_the_last_batch() {
        WorkerThread w;
        QSignalSpy progress(w.worker, &TrainingWorker::progress);
        QSignalSpy finished(w.worker, &TrainingWorker::finished);
        w.train(request(200));
        QVERIFY(progress.wait(30000));
        QElapsedTimer clock;
        clock.start();
        w.worker->stop();
        QVERIFY(finished.wait(5000));
        qInfo("stop took effect in %lld ms", clock.elapsed());
        QCOMPARE(finished.first()[0].value<TrainingEnd>(), TrainingEnd::stopped);
        const auto net = finished.first()[1].value<std::shared_ptr<const Network>>();
        QVERIFY(net && net->all_finite());
    }

    void divergence_rolls_back_to_finite_weights() {
        WorkerThread w;
        QSignalSpy finished(w.worker, &TrainingWorker::finished);
        TrainingRequest r = request(5);
        r.eta = 1e30f;
        w.train(r);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first()[0].value<TrainingEnd>(), TrainingEnd::diverged);
        const auto net = finished.first()[1].value<std::shared_ptr<const Network>>();
        QVERIFY(net && net->all_finite());
        QVERIFY(finished.first()[3].toString().contains("diverged"));
    }

    void bad_data_folder_fails_with_a_message() {
        WorkerThread w;
        QSignalSpy finished(w.worker, &TrainingWorker::finished);
        TrainingRequest r = request(1);
        r.dataDir = data.filePath("nowhere");
        w.train(r);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first()[0].value<TrainingEnd>(), TrainingEnd::failed);
        QVERIFY(!finished.first()[1].value<std::shared_ptr<const Network>>());
        QVERIFY(finished.first()[3].toString().contains("no train-images"));
    }

    // The app: the canvas's prediction follows the learning network; the trained model
    // becomes the app's model; Revert brings the old one back.
    void app_trains_live_and_reverts() {
        MainWindow window;
        const Model m = read_model(kDefaultModelPath);
        const auto builtIn = std::make_shared<const Network>(m.network);
        window.setModel(builtIn, m.info, "Built-in model");
        window.resize(1100, 900);
        window.findChild<QDockWidget*>()->show();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.canvas()->setDrawing({Stroke{{QPointF(0.5, 0.2), QPointF(0.5, 0.8)}}});
        TrainingPanel* panel = window.trainingPanel();
        panel->setDataFolder(data.path());
        QSignalSpy snapshots(panel, &TrainingPanel::snapshot);
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        panel->start();
        QVERIFY(panel->isTraining());
        QVERIFY(snapshots.wait(30000));
        QTRY_VERIFY(window.network() != builtIn);  // the canvas now classifies with live weights
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.first()[0].value<TrainingEnd>(), TrainingEnd::finished);
        QCOMPARE(window.modelName(), QString("Trained model (unsaved)"));
        QVERIFY(window.modelInfo().epochs > 0);
        QVERIFY(panel->chart()->batchCount() > 0);
        if (const QByteArray dir = qgetenv("DIGITPAD_SCREENSHOTS"); !dir.isEmpty())
            QVERIFY(window.grab().save(QString(dir) + "/training.png"));
        emit panel->revertRequested();
        QCOMPARE(window.network(), builtIn);
        QCOMPARE(window.modelName(), QString("Built-in model"));
    }

    void closing_mid_training_joins_within_a_second() {
        auto window = std::make_unique<MainWindow>();
        window->show();
        TrainingPanel* panel = window->trainingPanel();
        panel->setDataFolder(data.path());
        QSignalSpy snapshots(panel, &TrainingPanel::snapshot);
        panel->start();
        QVERIFY(snapshots.wait(30000));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window->close());
        window.reset();  // destroys the panel and its thread
        qInfo("closed in %lld ms", clock.elapsed());
        QVERIFY(clock.elapsed() < 1000);
    }
};

QTEST_MAIN(TestTrainingWorker)
#include "test_training_worker.moc"

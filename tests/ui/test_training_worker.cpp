// The training worker on its own thread: progress, pause, stop, divergence, and the app
// closing mid-training.
#include "dataset.h"
#include "drawing_canvas.h"
#include "idx_writer.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "recipe_form.h"
#include "synthetic_data.h"
#include "training_panel.h"
#include "training_worker.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QDir>
#include <QSettings>
#include <QComboBox>
#include <QAbstractButton>
#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <random>

using namespace digitpad;

namespace {

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
    void train(const TrainingRequest& r) { worker->start(r); }
};

// Takes the worker's updates on the main thread, as the app's training panel does.
struct Recorder : QObject {
    TrainingWorker* worker;
    QList<TrainingProgress> progress;
    QList<EpochSummary> epochs;
    int snapshots = 0;
    QList<TrainingResult> finished;

    explicit Recorder(TrainingWorker* w) : worker(w) {
        connect(w, &TrainingWorker::updated, this, [this] {
            TrainingUpdate u = worker->takeUpdate();
            if (u.progress) progress << *u.progress;
            epochs += u.epochs;
            snapshots += u.snapshot != nullptr;
            if (u.result) finished << *u.result;
        });
    }
    bool waitFinished(int ms) { return QTest::qWaitFor([this] { return !finished.isEmpty(); }, ms); }
    bool waitProgress(int ms) {
        const auto before = progress.size();
        return QTest::qWaitFor([this, before] { return progress.size() > before; }, ms);
    }
};

}  // namespace

// Closes the window as a person would and answers its question with the button `answer`:
// true when the window then closed.
bool close_answering(QWidget& window, const QString& answer) {
    if (window.close()) return true;
    auto* box = window.findChild<QMessageBox*>("closeQuestion");
    if (!box) return false;
    for (QAbstractButton* b : box->buttons())
        if (b->text().remove('&') == answer) {
            b->click();
            QCoreApplication::processEvents();
            return !window.isVisible();
        }
    return false;
}

class TestTrainingWorker : public QObject {
    Q_OBJECT
    QTemporaryDir data;

    TrainingRequest request(int epochs, int hidden = 64) {
        TrainingRequest r;  // plain SGD, no augmentation
        r.dataDir = data.path();
        r.recipe.sizes = {784, hidden, 10};
        r.recipe.epochs = epochs;
        r.recipe.batch = 16;
        r.recipe.eta = 0.05f;
        return r;
    }

private slots:
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

    void initTestCase() {
        QSettings().remove("training");  // the panel remembers the last run: start from none
        testing::write_mnist_part(data.path(), "train", testing::synthetic_digits(2000, 1));
        testing::write_mnist_part(data.path(), "t10k", testing::synthetic_digits(300, 2));
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
    }

    void the_panel_starts_with_the_built_in_recipe() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        const TrainingRequest built_in = TrainingRequest{{}, Recipe::built_in()}, form = panel.request();
        QCOMPARE(form.recipe.optimizer, built_in.recipe.optimizer);
        QCOMPARE(form.recipe.eta, built_in.recipe.eta);
        QCOMPARE(form.recipe.batch, built_in.recipe.batch);
        QCOMPARE(form.recipe.epochs, built_in.recipe.epochs);
        QCOMPARE(form.recipe.schedule, built_in.recipe.schedule);
        QCOMPARE(form.recipe.augment, built_in.recipe.augment);
        QCOMPARE(form.recipe.threads, 0);  // Auto
        QCOMPARE(form.recipe.drawings.stroke_copies, built_in.recipe.drawings.stroke_copies);
        QCOMPARE(form.recipe.drawings.traced, built_in.recipe.drawings.traced);
        QCOMPARE(form.recipe.drawings.traced_share, built_in.recipe.drawings.traced_share);
        if (!form.recipe.drawings.strokes.empty()) {  // a drawings file remembered from another test
            QCOMPARE(form.recipe.drawings.strokes_share, built_in.recipe.drawings.strokes_share);
            QCOMPARE(form.recipe.drawings.scans_share, built_in.recipe.drawings.scans_share);
        }
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

    // The window closed at 50 random moments (#17): while the data loads, as the first
    // batches run, in mid-epoch, while the test set is evaluated (epochs of 2,000 images end
    // every few hundred milliseconds), right after a save. Every close returns within a
    // second; under ASan and TSan (the sanitizer presets run this test) with no report.
    void closing_at_any_moment() {
        std::mt19937 rng(7);
        QTemporaryDir saves;
        const Model m = read_model(kDefaultModelPath);
        const auto builtIn = std::make_shared<const Network>(m.network);
        for (int i = 0; i < 50; ++i) {
            MainWindow window;
            window.setModel(builtIn, m.info, "Built-in model");
            window.show();
            TrainingRequest r = request(200, i % 3 == 0 ? 256 : 64);
            r.recipe.batch = i % 4 == 0 ? 256 : 16;  // some closes land in a long batch
            window.trainingPanel()->setRequest(r);
            window.trainingPanel()->start();
            QTest::qWait(static_cast<int>(rng() % 400));
            if (i % 5 == 0) QVERIFY(window.saveModel(saves.filePath(QString("m%1.dpm").arg(i))));
            QElapsedTimer clock;
            clock.start();
            QVERIFY(close_answering(window, window.trainingPanel()->isTraining() ? "Stop and Quit" : "Quit Without Saving"));
            QVERIFY2(clock.elapsed() < 1000, qPrintable(QString("close %1 took %2 ms").arg(i).arg(clock.elapsed())));
        }
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
        panel->setRequest(request(2, 800));
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

    // #16 item 2: a Start that fails (a corrupt data folder) after a finished run leaves the
    // trained model in place and Revert still going back to the model from before that run.
    void a_failed_start_keeps_the_revert_point() {
        MainWindow window;
        const Model m = read_model(kDefaultModelPath);
        const auto builtIn = std::make_shared<const Network>(m.network);
        window.setModel(builtIn, m.info, "Built-in model");
        window.show();
        TrainingPanel* panel = window.trainingPanel();
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        panel->setRequest(request(1));
        panel->start();
        QVERIFY(ended.wait(60000));
        QCOMPARE(ended.takeFirst()[0].value<TrainingEnd>(), TrainingEnd::finished);
        const auto trained = window.network();
        QVERIFY(trained != builtIn);
        QPushButton* revert = nullptr;
        for (QPushButton* b : panel->findChildren<QPushButton*>())
            if (b->text() == "Revert") revert = b;
        QVERIFY(revert && revert->isEnabled());

        QTemporaryDir corrupt;
        for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                 "t10k-labels-idx1-ubyte"}) {
            QFile f(corrupt.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not an IDX file");
        }
        TrainingRequest bad = request(1);
        bad.dataDir = corrupt.path();
        panel->setRequest(bad);
        panel->start();
        QVERIFY(ended.wait(60000));
        QCOMPARE(ended.takeFirst()[0].value<TrainingEnd>(), TrainingEnd::failed);
        QCOMPARE(window.network(), trained);
        QVERIFY(revert->isEnabled());
        revert->click();
        QCOMPARE(window.network(), builtIn);
        QCOMPARE(window.modelName(), QString("Built-in model"));
    }

    // #16 item 15: a network past the model format, or past the machine's memory, is refused
    // at Start with the figures, not trained into std::bad_alloc.
    void an_oversized_network_is_refused_at_start() {
        TrainingPanel panel;
        TrainingRequest r = request(1);
        r.recipe.sizes = {784, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 10};
        panel.setRequest(r);
        panel.start();
        QVERIFY(!panel.isTraining());
        const QLabel* status = nullptr;
        for (const QLabel* l : panel.findChildren<QLabel*>())
            if (l->text().startsWith("Not started")) status = l;
        QVERIFY(status);
        QVERIFY2(status->text().contains("GB of memory; this machine has"), qPrintable(status->text()));
    }

    // #16 item 13: the next launch shows the data the last run used (the MNIST sample here,
    // though a folder was chosen before) and its hyper-parameters; picking an optimizer
    // keeps an η the person typed (#16 item 15).
    void the_panel_remembers_the_last_run() {
        QSettings().remove("training");
        const QString sample = RecipeForm::sampleDataFolder();
        // CTest gives the tests their own data folder; run by hand, never touch a real sample.
        if (QFileInfo::exists(sample)) QSKIP("an MNIST sample is installed in this data folder; run under CTest");
        QVERIFY(QDir().mkpath(sample));
        testing::write_mnist_part(sample, "train", testing::synthetic_digits(300, 3));
        testing::write_mnist_part(sample, "t10k", testing::synthetic_digits(50, 4));
        {
            TrainingPanel panel;
            panel.setDataFolder(data.path());  // a folder chosen once
            TrainingRequest r = request(1, 32);
            r.dataDir.clear();  // the form only: the data is picked in the list below
            r.recipe.optimizer = "adam";
            r.recipe.eta = 0.02f;
            r.recipe.batch = 48;
            panel.setRequest(r);
            QComboBox* source = nullptr;
            for (QComboBox* c : panel.findChildren<QComboBox*>())
                if (c->findData(sample) >= 0) source = c;
            QVERIFY(source);
            source->setCurrentIndex(source->findData(sample));
            QCOMPARE(panel.request().dataDir, sample);
            QSignalSpy ended(&panel, &TrainingPanel::trainingEnded);
            panel.start();
            QVERIFY(ended.wait(60000));
        }
        TrainingPanel next;
        const TrainingRequest back = next.request();
        QCOMPARE(back.dataDir, sample);
        QCOMPARE(back.recipe.optimizer, std::string("adam"));
        QCOMPARE(back.recipe.eta, 0.02f);
        QCOMPARE(back.recipe.batch, std::size_t{48});
        QCOMPARE(back.recipe.sizes, (std::vector<int>{784, 32, 10}));
        QComboBox* optimizer = nullptr;
        for (QComboBox* c : next.findChildren<QComboBox*>())
            if (c->findData("nesterov") >= 0) optimizer = c;
        QVERIFY(optimizer);
        optimizer->setCurrentIndex(optimizer->findData("nesterov"));
        QCOMPARE(next.request().recipe.eta, 0.02f);  // typed, so kept
        QSettings().remove("training");
        QDir(sample).removeRecursively();
    }

    // #16 item 15: the form keeps what it is given across the whole useful range and past it
    // (η of 10⁵ reaches the NaN rollback; it was clamped to 100), and a batch of 10,000.
    void the_form_keeps_large_values() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        TrainingRequest r = request(1);
        r.recipe.eta = 1e5f;
        r.recipe.batch = 10000;
        r.recipe.epochs = 5000;
        panel.setRequest(r);
        QCOMPARE(panel.request().recipe.eta, 1e5f);
        QCOMPARE(panel.request().recipe.batch, std::size_t{10000});
        QCOMPARE(panel.request().recipe.epochs, 5000);
    }

    // #16 item 15: Qt refuses a value typed or pasted past a field's range without a word.
    void a_value_past_a_field_range_is_named() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        panel.show();
        QSpinBox* batch = nullptr;
        QDoubleSpinBox* eta = nullptr;
        for (QSpinBox* b : panel.findChildren<QSpinBox*>())
            if (b->maximum() == 65536) batch = b;
        for (QDoubleSpinBox* b : panel.findChildren<QDoubleSpinBox*>())
            if (b->maximum() == 1e6) eta = b;
        QVERIFY(batch && eta);
        auto statusLine = [&] {
            for (const QLabel* l : panel.findChildren<QLabel*>())
                if (l->text().contains(" takes ")) return l->text();
            return QString();
        };
        const int before = batch->value();
        auto* edit = batch->findChild<QLineEdit*>();
        edit->selectAll();
        edit->insert("100000");  // as a paste goes in
        QCOMPARE(batch->value(), before);
        QVERIFY2(statusLine().contains("Batch size takes 1 to 65,536"), qPrintable(statusLine()));
        eta->findChild<QLineEdit*>()->selectAll();
        QTest::keyClicks(eta->findChild<QLineEdit*>(), "20000000");  // typed: the 8th digit is refused
        QVERIFY2(statusLine().contains("Learning rate η takes 0.0001 to 1,000,000"), qPrintable(statusLine()));
        QCOMPARE(eta->value(), 2e6 / 10);
    }

    void the_form_round_trips_a_request() {
        TrainingPanel panel;
        TrainingRequest r = request(7, 256);
        r.recipe.sizes = {784, 256, 128, 10};
        r.recipe.optimizer = "adam";
        r.recipe.eta = 0.002f;
        r.recipe.batch = 48;
        r.recipe.seed = 42;
        r.recipe.augment = 1.0;
        r.recipe.schedule = TrainingConfig::Schedule::step;
        r.recipe.warmup_epochs = 1.5;
        r.recipe.weight_decay = 0.0005f;
        r.recipe.dropout = 0.25f;
        r.recipe.drawings.strokes = DIGITPAD_SOURCE_DIR "/tests/data/hand_drawn.jsonl";
        r.recipe.drawings.stroke_copies = 7;
        r.recipe.drawings.strokes_share = 0.4;
        r.recipe.drawings.traced = 2;
        r.recipe.drawings.traced_share = 0.1;
        r.recipe.drawings.scans_share = 0.5;
        r.recipe.drawings.distort_drawings = true;
        panel.setRequest(r);
        const TrainingRequest back = panel.request();
        QCOMPARE(back.dataDir, r.dataDir);
        QCOMPARE(back.recipe.drawings.strokes, r.recipe.drawings.strokes);
        QCOMPARE(back.recipe.drawings.stroke_copies, 7);
        QCOMPARE(back.recipe.drawings.strokes_share, 0.4);
        QCOMPARE(back.recipe.drawings.scans_share, 0.5);
        QCOMPARE(back.recipe.drawings.traced, 2);
        QCOMPARE(back.recipe.drawings.traced_share, 0.1);
        QVERIFY(back.recipe.drawings.distort_drawings);
        QCOMPARE(back.recipe.sizes, r.recipe.sizes);
        QCOMPARE(back.recipe.optimizer, r.recipe.optimizer);
        QCOMPARE(back.recipe.eta, r.recipe.eta);
        QCOMPARE(back.recipe.batch, std::size_t{48});
        QCOMPARE(back.recipe.epochs, 7);
        QCOMPARE(back.recipe.seed, std::uint64_t{42});
        QVERIFY(back.recipe.augment.has_value());
        QCOMPARE(back.recipe.schedule, TrainingConfig::Schedule::step);
        QCOMPARE(back.recipe.warmup_epochs, 1.5);
        QCOMPARE(back.recipe.weight_decay, 0.0005f);
        QCOMPARE(back.recipe.dropout, 0.25f);
        // BF16 goes through the form where the CPU has it; elsewhere the box is off and disabled.
        r.recipe.precision = TrainingConfig::Precision::bf16;
        panel.setRequest(r);
        QCheckBox* bf16 = nullptr;
        for (auto* box : panel.findChildren<QCheckBox*>())
            if (box->text().contains("BF16")) bf16 = box;
        QVERIFY(bf16);
        QCOMPARE(bf16->isEnabled(), bf16_available());
        QCOMPARE(panel.request().recipe.precision == TrainingConfig::Precision::bf16, bf16_available());
    }

    // With BF16 the worker trains as with FP32 and says so in the model's recipe; where there
    // is no BF16, asking for it fails with a message and no model.
    void bf16_request_trains_or_is_refused() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest bf16 = request(2);
        bf16.recipe.precision = TrainingConfig::Precision::bf16;
        w.train(bf16);
        QVERIFY(r.waitFinished(60000));
        const TrainingResult& result = r.finished.first();
        if (bf16_available()) {
            QCOMPARE(result.end, TrainingEnd::finished);
            QVERIFY(result.info.test_accuracy > 0.9);
            QVERIFY(QString::fromStdString(result.info.recipe).contains("precision=bf16"));
        } else {
            QCOMPARE(result.end, TrainingEnd::failed);
            QVERIFY(!result.network);
            QVERIFY2(result.message.contains("BF16"), qPrintable(result.message));
        }
    }

    // #16 item 3: quitting asks before it loses work (a trained model not saved, training in
    // progress), as desktop apps do; Cancel keeps working, Save saves and then quits.
    void quitting_asks_before_losing_work() {
        QTemporaryDir saves;
        {
            MainWindow window;  // nothing to lose: it closes at once
            window.show();
            QVERIFY(window.close());
        }
        MainWindow window;
        window.show();
        TrainingPanel* panel = window.trainingPanel();
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        panel->setRequest(request(1));
        panel->start();
        QVERIFY(ended.wait(60000));
        QVERIFY(window.hasUnsavedWork());
        QVERIFY(!window.close());
        auto* box = window.findChild<QMessageBox*>("closeQuestion");
        QVERIFY(box);
        QVERIFY(box->button(QMessageBox::Save));
        box->button(QMessageBox::Cancel)->click();
        QCoreApplication::processEvents();
        QVERIFY(window.isVisible());

        QVERIFY(!window.close());
        box = window.findChild<QMessageBox*>("closeQuestion");
        QVERIFY(box);
        box->button(QMessageBox::Save)->click();
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QFileDialog*>()) != nullptr);
        const QString path = saves.filePath("kept.dpm");
        emit dialog->fileSelected(path);  // what choosing the file and pressing Save sends
        QCoreApplication::processEvents();
        QVERIFY(!window.isVisible());
        QCOMPARE(load_model(path.toStdString()).network.sizes(), (std::vector<int>{784, 64, 10}));
    }

    // #16 item 7: a window closed in a long batch disappears at once, and the batch finishes
    // behind it: the window is hidden while the panel still trains (before the join).
    void a_closed_window_hides_before_the_batch_ends() {
        MainWindow window;
        window.show();
        struct HideWatch : QObject {
            TrainingPanel* panel = nullptr;
            bool hidden = false, trainingWhenHidden = false;
            bool eventFilter(QObject*, QEvent* e) override {
                if (e->type() == QEvent::Hide && !hidden) hidden = true, trainingWhenHidden = panel->isTraining();
                return false;
            }
        } watch;
        watch.panel = window.trainingPanel();
        window.installEventFilter(&watch);
        TrainingRequest r = request(50, 512);
        r.recipe.batch = 1024;
        window.trainingPanel()->setRequest(r);
        QSignalSpy snapshots(window.trainingPanel(), &TrainingPanel::snapshot);
        window.trainingPanel()->start();
        QVERIFY(snapshots.wait(30000));
        QVERIFY(close_answering(window, "Stop and Quit"));
        QVERIFY(watch.hidden);
        QVERIFY(watch.trainingWhenHidden);
    }

    void closing_mid_training_joins_within_a_second() {
        auto window = std::make_unique<MainWindow>();
        window->show();
        TrainingPanel* panel = window->trainingPanel();
        panel->setRequest(request(50));
        QSignalSpy snapshots(panel, &TrainingPanel::snapshot);
        panel->start();
        QVERIFY(snapshots.wait(30000));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(close_answering(*window, "Stop and Quit"));
        window.reset();  // destroys the panel and its thread
        qInfo("closed in %lld ms", clock.elapsed());
        QVERIFY(clock.elapsed() < 1000);
    }
};

QTEST_MAIN(TestTrainingWorker)
#include "test_training_worker.moc"

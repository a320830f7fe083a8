// Training in the window: live and reverted, a failed start, closing at any moment, the
// question before quitting, a long batch left in the background.
#include "training_fixture.h"
#include "window_fixture.h"

#include "dataset.h"
#include "drawing_canvas.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "recipe_form.h"
#include "training_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>

#include <random>

using namespace digitpad;
using namespace digitpad::testing;

class TestTrainingWindow : public QObject, public TrainingFixture {
    Q_OBJECT

private slots:
    void initTestCase() { writeData(); }

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

    // The app: the canvas's prediction follows the learning network; the trained model
    // becomes the app's model; Revert brings the old one back.
    void app_trains_live_and_reverts() {
        MainWindow window;
        const Model m = read_model(kDefaultModelPath);
        const auto builtIn = std::make_shared<const Network>(m.network);
        window.setModel(builtIn, m.info, "Built-in model");
        window.resize(1366, 768 - 70);  // a small screen: the chart at its least, no room to spare
        dock_of(window, window.trainingPanel())->show();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.canvas()->setDrawing({Stroke{{QPointF(0.5, 0.2), QPointF(0.5, 0.8)}}});
        TrainingPanel* panel = window.trainingPanel();
        panel->setRequest(request(2, 800));
        QSignalSpy snapshots(panel, &TrainingPanel::snapshot);
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        panel->start();
        QVERIFY(panel->isTraining());
        QPushButton* stop = button_named(*panel, "Stop");
        QVERIFY(stop);
        QCoreApplication::processEvents();
        const QPoint stopAt = stop->mapTo(&window, QPoint(0, 0));
        QVERIFY(snapshots.wait(30000));
        QTRY_VERIFY(panel->findChild<QProgressBar*>()->format().contains("samples/s"));  // the rate, in the bar
        QCOMPARE(stop->mapTo(&window, QPoint(0, 0)), stopAt);  // Stop has not moved from under the pointer
        // The two lines saying the run learns from scans alone take room from the chart, not the form.
        const auto* form = panel->findChild<QScrollArea*>();
        QVERIFY(form);
        QVERIFY(panel->findChild<QLabel*>("trainingStatus")->isVisible());
        QVERIFY2(!form->verticalScrollBar()->isVisible(),
                 qPrintable(QString("the form is %1 px high in %2").arg(form->widget()->sizeHint().height()).arg(form->height())));
        QTRY_VERIFY(window.network() != builtIn);  // the canvas now classifies with live weights
        // No other model while it trains: the title would name it and the canvas read the run.
        action_named(window, "Use Built-in Model")->trigger();
        QCOMPARE(window.statusBar()->currentMessage(),
                 QString("Training is in progress: stop it before choosing another model"));
        QCOMPARE(window.modelName(), QString("Built-in model"));
        QVERIFY(window.network() != builtIn);
        action_named(window, "Save Model As…")->trigger();  // it would save the model from before the run
        QCOMPARE(window.statusBar()->currentMessage(),
                 QString("Training is in progress: Stop keeps its model, which can then be saved"));
        QVERIFY(!window.findChild<QFileDialog*>());
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.first()[0].value<TrainingEnd>(), TrainingEnd::finished);
        QCOMPARE(window.modelName(), QString("Trained model (unsaved)"));
        QVERIFY(window.modelInfo().epochs > 0);
        QVERIFY(panel->chart()->batchCount() > 0);
        // The result is in the bar, and the whole form still fits a 1366×768 screen unscrolled.
        const auto* bar = panel->findChild<QProgressBar*>();
        QVERIFY2(bar->format().startsWith("Done: ") && bar->format().endsWith("% on the test set"),
                 qPrintable(bar->format()));
        QCoreApplication::processEvents();
        QTRY_VERIFY2(!form->verticalScrollBar()->isVisible(),
                 qPrintable(QString("the form is %1 px high in %2").arg(form->widget()->sizeHint().height()).arg(form->height())));
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
        QPushButton* revert = button_named(*panel, "Revert");
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

    // Paused, Step trains exactly one batch and Step Epoch to the end of the epoch, then the run
    // stays paused; a live η is marked on the chart at the batch it applies from (that it applies
    // there is tested_training's a_live_eta_takes_effect_on_the_next_batch).
    void step_and_live_eta_while_paused() {
        auto window = std::make_unique<MainWindow>();
        window->show();
        TrainingPanel* panel = window->trainingPanel();
        panel->setRequest(request(4));  // 125 batches of 16 an epoch
        panel->start();
        panel->togglePause();
        LossChart* chart = panel->chart();
        auto settled = [&] {  // the batch count once nothing more arrives for 300 ms
            qint64 n = -1;
            while (n != chart->batchCount()) {
                n = chart->batchCount();
                QTest::qWait(300);
            }
            return n;
        };
        QPushButton* step = button_named(*panel, "Step");
        QPushButton* stepEpoch = button_named(*panel, "Step Epoch");
        QVERIFY(step && stepEpoch && step->isEnabled() && stepEpoch->isEnabled());
        const qint64 before = settled();
        QTest::mouseClick(step, Qt::LeftButton);
        QTRY_COMPARE(chart->batchCount(), before + 1);
        QCOMPARE(settled(), before + 1);

        auto* eta = panel->findChild<QDoubleSpinBox*>("liveEta");
        QVERIFY(eta && eta->isEnabled());
        QCOMPARE(eta->value(), 0.05);  // the recipe's
        eta->setValue(0.2);
        QCOMPARE(chart->etaMarks().size(), 1);
        QCOMPARE(chart->etaMarks()[0].batch, before + 2);
        QCOMPARE(chart->etaMarks()[0].eta, 0.2);

        QSignalSpy epochs(chart, &LossChart::epochAdded);
        QTest::mouseClick(stepEpoch, Qt::LeftButton);
        QVERIFY(epochs.wait(30000));
        const qint64 after = settled();
        QCOMPARE(after % 125, 0);  // at an epoch's end, and paused there
        QVERIFY(after > before + 1);
        QTest::mouseClick(step, Qt::LeftButton);
        QTRY_COMPARE(chart->batchCount(), after + 1);
        panel->togglePause();
        QVERIFY(!step->isEnabled());
        QVERIFY(close_answering(*window, "Stop and Quit"));
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

QTEST_MAIN(TestTrainingWindow)
#include "test_training_window.moc"

// Teach it your handwriting: the teach itself on a made-up style, the drawings' file (saved,
// read back, a damaged one moved aside), and the correction driven through the real window.
#include "window_fixture.h"

#include "confidence_view.h"
#include "current_model.h"
#include "drawing_canvas.h"
#include "main_window.h"
#include "model_io.h"
#include "my_drawings.h"
#include "my_drawings_panel.h"
#include "stroke_dataset.h"
#include "teach.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace digitpad;
using digitpad::testing::button_named;

namespace {

// A person's `digit`s drawn upside down: rehearsal scans of it traced into strokes and turned
// half a turn, a style no one taught the built-in model. (Not 7s: turned, they are a 2 with
// no top, and teaching them costs 2s.)
std::vector<StrokeRecord> upside_down(const Dataset& scans, int digit, std::size_t count) {
    Dataset chosen;
    for (std::size_t i = 0; i < scans.size() && chosen.size() < count; ++i)
        if (scans.labels[i] == digit) {
            const auto image = scans.image(i);
            chosen.images.insert(chosen.images.end(), image.begin(), image.end());
            chosen.labels.push_back(scans.labels[i]);
        }
    std::vector<StrokeRecord> drawings = traced_drawings(chosen);
    for (StrokeRecord& d : drawings)
        for (Stroke& s : d.strokes)
            for (QPointF& p : s) p = QPointF(1 - p.x(), 1 - p.y());
    return drawings;
}

StrokeRecord labelled(Drawing strokes, int label) {
    StrokeRecord r;
    r.strokes = std::move(strokes);
    r.label = label;
    return r;
}

Drawing vertical_line() { return {QPolygonF({QPointF(0.5, 0.2), QPointF(0.5, 0.5), QPointF(0.5, 0.8)})}; }

}  // namespace

class TestTeach : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private slots:
    // The models to go back to, followed through a session: chosen, trained, taught twice,
    // reverted, a run that came to nothing.
    void the_current_model_keeps_the_models_to_go_back_to() {
        auto net = [] { return std::make_shared<const Network>(std::vector<int>{784, 10}); };
        const auto chosen = net(), trained = net(), taught1 = net(), taught2 = net(), weights = net();
        CurrentModel m;
        m.choose({chosen, {}, "chosen.dpm", "/models/chosen.dpm", false});
        QVERIFY(!m.canRevertTraining());
        m.trainingStarted();
        m.follow(weights);  // the canvas reads the run's weights; the model stays
        QCOMPARE(m.reading(), weights);
        QCOMPARE(m.model().network, chosen);
        m.trained(trained, {}, "Trained");
        QCOMPARE(m.model().network, trained);
        QVERIFY(m.model().unsaved);
        QVERIFY(m.model().path.isEmpty());
        QCOMPARE(m.teachingBase().network, trained);  // a trained model is a new choice
        m.taughtModel(taught1, {}, "Trained, taught on 3 drawings");
        m.taughtModel(taught2, {}, "Trained, taught on 4 drawings");
        QVERIFY(m.taught());
        QCOMPARE(m.teachingBase().network, trained);  // never an earlier teach
        m.revertTeaching();
        QCOMPARE(m.model().network, trained);
        QVERIFY(m.model().unsaved);  // still not saved
        QVERIFY(!m.taught());
        m.saved("/models/t.dpm", "t.dpm");
        QVERIFY(!m.model().unsaved);
        QCOMPARE(m.teachingBase().path, QString("/models/t.dpm"));
        m.trainingStarted();
        m.trainingCameToNothing();  // a run that failed keeps the model and the Revert of the run before
        QCOMPARE(m.model().network, trained);
        QVERIFY(m.canRevertTraining());
        m.revertTraining();
        QCOMPARE(m.model().network, chosen);
        QCOMPARE(m.model().path, QString("/models/chosen.dpm"));
        QCOMPARE(m.reading(), chosen);
    }

    void teaching_a_made_up_style_reads_it_and_keeps_the_rest() {
        const Model model = read_model(kDefaultModelPath);
        const Rehearsal rehearsal = builtin_rehearsal();
        QCOMPARE(rehearsal.check.size(), kRehearsalCheck);
        QVERIFY(rehearsal.teach.size() >= 3000);
        // A handful of upside-down 4s to teach, and 100 others of the same style to read afterwards.
        const std::vector<StrokeRecord> all = upside_down(rehearsal.teach, 4, 110);
        QVERIFY(all.size() > 100);
        const std::vector<StrokeRecord> taught(all.begin(), all.begin() + 8), others(all.begin() + 8, all.end());
        const double before = drawing_accuracy(model.network, others);
        const Teaching t = teach(model.network, taught, rehearsal.teach);
        QCOMPARE(t.outcome, TrainingOutcome::finished);
        QCOMPARE(t.drawings, taught.size());
        const double after = drawing_accuracy(t.network, others);
        const double keptBefore = evaluate(model.network, rehearsal.check).accuracy;
        const double keptAfter = evaluate(t.network, rehearsal.check).accuracy;
        qInfo("upside-down 4s, never taught: %.1f%% before, %.1f%% after; rehearsal check %.2f%% -> %.2f%%; %.2f s",
              100 * before, 100 * after, 100 * keptBefore, 100 * keptAfter, t.seconds);
        QVERIFY2(before < 0.3, "the made-up style should be hard for the built-in model");
        QVERIFY2(after > 0.7, "teaching should make the style readable");
        QVERIFY2(keptAfter >= keptBefore - 0.01, "teaching should not drop the rest by more than a point");
        // The model given is not touched, and teaching it again from it gives the same model;
        // its progress, rendering and training together, only goes forward and ends at 1.
        std::vector<double> progress;
        const Teaching again = teach(model.network, taught, rehearsal.teach, {}, nullptr,
                                     [&](double done) { progress.push_back(done); });
        QCOMPARE(drawing_accuracy(again.network, others), after);
        QVERIFY(progress.size() > 2);
        QVERIFY(progress.front() >= 0 && progress.front() < 0.5);
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        QCOMPARE(progress.back(), 1.0);
    }

    void held_out_accuracy_measures_drawings_not_taught() {
        const Model model = read_model(kDefaultModelPath);
        const Rehearsal rehearsal = builtin_rehearsal();
        std::vector<StrokeRecord> drawings = upside_down(rehearsal.teach, 7, 25);
        const std::vector<StrokeRecord> fours = upside_down(rehearsal.teach, 4, 25);
        drawings.insert(drawings.end(), fours.begin(), fours.end());
        const HeldOut held = held_out_accuracy(model.network, drawings, rehearsal.teach);
        QCOMPARE(held.drawings, (drawings.size() + 4) / 5);
        QVERIFY(held.after > held.before);
        QCOMPARE(held_out_accuracy(model.network, {drawings.begin(), drawings.begin() + 4}, rehearsal.teach).drawings,
                 std::size_t{0});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, teach(model.network, {StrokeRecord{}}, rehearsal.teach));
    }

    void drawings_are_saved_at_once_and_read_back() {
        const QString path = dir.filePath("saved/my-drawings.jsonl");
        MyDrawings mine;
        QVERIFY(mine.load(path).isEmpty());
        mine.add(labelled(vertical_line(), 1));
        mine.add(labelled({QPolygonF({QPointF(0.2, 0.2), QPointF(0.8, 0.2), QPointF(0.4, 0.8)})}, 7));
        MyDrawings again;
        QVERIFY(again.load(path).isEmpty());
        QCOMPARE(again.size(), std::size_t{2});
        QCOMPARE(*again.drawings()[1].label, 7);
        QCOMPARE(again.drawings()[1].strokes, mine.drawings()[1].strokes);
        again.remove({0});
        MyDrawings third;
        third.load(path);
        QCOMPARE(third.size(), std::size_t{1});
        QCOMPARE(*third.drawings()[0].label, 7);
        // A change that cannot be saved is refused and undone.
        QFile::remove(path);
        QVERIFY(QDir().mkpath(path));  // a folder where the file should be
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, third.add(labelled(vertical_line(), 1)));
        QCOMPARE(third.size(), std::size_t{1});
        QVERIFY(QDir().rmdir(path));
    }

    void a_damaged_file_is_moved_aside_and_what_can_be_read_is_kept() {
        const QString path = dir.filePath("damaged.jsonl");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(stroke_line(labelled(vertical_line(), 1)) + "\n{\"strokes\": [[[0.1, 0.2], [0.3\n" +
                stroke_line(labelled(vertical_line(), 4)) + "\n");
        f.close();
        const QByteArray original = [&] {
            QFile r(path);
            r.open(QIODevice::ReadOnly);
            return r.readAll();
        }();
        MyDrawings mine;
        const QString message = mine.load(path);
        QVERIFY2(message.contains("damaged") && message.contains(".bad"), qPrintable(message));
        QCOMPARE(mine.size(), std::size_t{2});
        QFile aside(path + ".bad");
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), original);  // nothing the person drew is lost
        MyDrawings again;
        QVERIFY(again.load(path).isEmpty());  // the good drawings were saved anew
        QCOMPARE(again.size(), std::size_t{2});
        // A second damaged file does not overwrite the first one set aside.
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not json\n");
        f.close();
        QVERIFY(MyDrawings().load(path).contains(".bad.1"));
        QVERIFY(QFile::exists(path + ".bad.1"));
    }

    // The Delete key on the thumbnails deletes the drawings chosen, as the Delete button does,
    // and both ask first, as Clear All does: what a person drew goes only when they say so.
    void the_delete_key_deletes_the_chosen_drawings() {
        MyDrawingsPanel panel;
        panel.load(dir.filePath("delete-key/my-drawings.jsonl"));
        panel.add(labelled(vertical_line(), 1), false);
        panel.add(labelled({QPolygonF({QPointF(0.2, 0.2), QPointF(0.8, 0.2), QPointF(0.4, 0.8)})}, 7), false);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto answer = [&](const QString& question, const QString& button) {
            QMessageBox* box = nullptr;
            QTRY_VERIFY((box = panel.findChild<QMessageBox*>("deleteDrawingsQuestion")) != nullptr);
            QCOMPARE(box->text(), question);
            for (QAbstractButton* b : box->buttons())
                if (b->text().remove('&') == button) b->click();
            QTRY_VERIFY(!panel.findChild<QMessageBox*>("deleteDrawingsQuestion"));
            panel.activateWindow();  // back from the question, as a person's next key press is
            QVERIFY(QTest::qWaitForWindowActive(&panel));
        };
        QListWidget* list = panel.list();
        QTest::keyClick(list, Qt::Key_Delete);  // nothing chosen: nothing goes, nothing asked
        QCoreApplication::processEvents();
        QVERIFY(!panel.findChild<QMessageBox*>("deleteDrawingsQuestion"));
        QCOMPARE(panel.drawings().size(), std::size_t{2});
        list->setFocus();
        list->item(1)->setSelected(true);
        QTest::keyClick(list, Qt::Key_Delete);
        answer("Delete this drawing?", "Cancel");
        QCOMPARE(panel.drawings().size(), std::size_t{2});
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Delete);
        answer("Delete this drawing?", "Delete");
        QCOMPARE(panel.drawings().size(), std::size_t{1});
        QCOMPARE(*panel.drawings().drawings()[0].label, 1);
        // What the model makes of them: one drawing is "it", not "1 of them".
        const auto* summary = panel.findChild<QLabel*>("drawingsSummary");
        QVERIFY(summary);
        panel.setCurrentModel(std::make_shared<const Network>(read_model(kDefaultModelPath).network));
        QTRY_COMPARE(summary->text(), QString("1 drawing; the current model reads it right."));
        panel.add(labelled(vertical_line(), 4), false);
        panel.add(labelled(vertical_line(), 1), false);
        QTRY_COMPARE(summary->text(), QString("3 drawings; the current model reads 2 of them right (67%)."));
        list->clearSelection();
        for (int row : {0, 1}) list->item(row)->setSelected(true);
        button_named(panel, "Delete")->click();
        answer("Delete these 2 drawings?", "Delete");
        QTRY_COMPARE(summary->text(), QString("1 drawing; the current model misreads it."));
        QCOMPARE(*panel.drawings().drawings()[0].label, 4);
        button_named(panel, "Clear All…")->click();
        answer("Delete your only drawing?", "Cancel");
        QCOMPARE(panel.drawings().size(), std::size_t{1});
        button_named(panel, "Clear All…")->click();
        answer("Delete your only drawing?", "Delete All");
        QVERIFY(panel.drawings().isEmpty());
    }

    // A long teach (a few thousand drawings take a minute) can be stopped: Teach Now reads
    // Stop Teaching while it runs, and a stopped teach leaves the model as it was.
    void a_teach_can_be_stopped() {
        MyDrawingsPanel panel;
        panel.load(dir.filePath("stopped/my-drawings.jsonl"));
        const Model model = read_model(kDefaultModelPath);
        const auto base = std::make_shared<const Network>(model.network);
        panel.setTeachingBase(base);
        panel.setCurrentModel(base);
        for (const StrokeRecord& d : upside_down(builtin_rehearsal().teach, 4, 300)) panel.add(d, false);
        QPushButton* teach = button_named(panel, "Teach Now");
        QVERIFY(teach && teach->isEnabled());
        QSignalSpy taught(&panel, &MyDrawingsPanel::taught);
        panel.resize(400, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QPoint where = teach->mapTo(&panel, QPoint(0, 0));
        QTest::mouseClick(teach, Qt::LeftButton);
        QCOMPARE(teach->text().remove('&'), QString("Stop Teaching"));
        QVERIFY(teach->isEnabled());
        QCoreApplication::processEvents();
        QCOMPARE(teach->mapTo(&panel, QPoint(0, 0)), where);  // still under the pointer: the bar had its room
        QTest::mouseClick(teach, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(teach->text().remove('&'), QString("Teach Now"), 30000);
        QCOMPARE(taught.count(), 0);
        const QLabel* result = panel.findChild<QLabel*>("teachResult");
        QCOMPARE(result->text(), QString("Teaching stopped; the model is as it was."));
    }

    // Another model chosen while a teach of the last one runs (opened, built in, trained): the
    // teach is stopped, and one that ended just before the news is not taken either, so that
    // it cannot come back as a teach of the new model.
    void a_teach_of_a_model_no_longer_chosen_is_not_taken() {
        MyDrawingsPanel panel;
        panel.load(dir.filePath("rechosen/my-drawings.jsonl"));
        const auto base = std::make_shared<const Network>(read_model(kDefaultModelPath).network);
        const auto other = std::make_shared<const Network>(Network({784, 16, 10}, 3));
        panel.setTeachingBase(base);
        panel.setCurrentModel(base);
        panel.add(labelled(vertical_line(), 7), false);
        QSignalSpy taught(&panel, &MyDrawingsPanel::taught);
        const QLabel* result = panel.findChild<QLabel*>("teachResult");
        QPushButton* teach = button_named(panel, "Teach Now");
        for (const bool finished_first : {false, true}) {
            panel.setTeachingBase(base);
            panel.teachNow();
            // One drawing takes a fraction of a second: asleep, the UI hears of it only later.
            if (finished_first) std::this_thread::sleep_for(std::chrono::seconds(3));
            panel.setTeachingBase(other);
            QTRY_COMPARE_WITH_TIMEOUT(teach->text().remove('&'), QString("Teach Now"), 30000);
            QTest::qWait(50);
            QCOMPARE(taught.count(), 0);
            QCOMPARE(result->text(), QString("Teaching stopped; the model is as it was."));
        }
        panel.teachNow();  // of the model chosen now
        QTRY_COMPARE_WITH_TIMEOUT(taught.count(), 1, 30000);
        QCOMPARE(taught.first().first().value<std::shared_ptr<const Network>>()->sizes(), other->sizes());
    }

    // One person's session, in order (about 85 lines): correct a drawing, see it stored and taught,
    // the title, Revert, and the drawing still there after a restart.
    void a_correction_through_the_window_is_stored_taught_and_reverted() {
        const QString path = dir.filePath("window/my-drawings.jsonl");
        auto window = std::make_unique<MainWindow>();
        window->myDrawings()->load(path);
        window->useBuiltInModel();
        window->resize(1200, 700);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        DrawingCanvas* canvas = window->canvas();
        // Clicking a bar with nothing drawn adds nothing.
        ConfidenceView* bars = window->confidences();
        auto barCentre = [&](int digit) { return QPoint(bars->width() / 2, bars->height() * (2 * digit + 1) / 20); };
        QTest::mouseClick(bars, Qt::LeftButton, Qt::NoModifier, barCentre(7));
        QCOMPARE(window->myDrawings()->drawings().size(), std::size_t{0});

        // A 1, which the person says is a 7: stored with its label, and taught at once.
        QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, QPoint(canvas->width() / 2, canvas->height() / 5));
        for (int k = 1; k <= 20; ++k)
            QTest::mouseMove(canvas, QPoint(canvas->width() / 2, canvas->height() / 5 + k * canvas->height() * 3 / 100));
        QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, QPoint(canvas->width() / 2, canvas->height() * 4 / 5));
        QTRY_COMPARE(bars->winner(), 1);
        QSignalSpy taught(window->myDrawings(), &MyDrawingsPanel::taught);
        QTest::mouseClick(bars, Qt::LeftButton, Qt::NoModifier, barCentre(7));
        QCOMPARE(window->myDrawings()->drawings().size(), std::size_t{1});
        QCOMPARE(*window->myDrawings()->drawings().drawings()[0].label, 7);
        QCOMPARE(window->myDrawings()->drawings().drawings()[0].strokes, canvas->drawing());
        QVERIFY(window->findChild<QDockWidget*>("myDrawings")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(taught.count(), 1, 60000);
        QCOMPARE(window->statusBar()->currentMessage(), QString("Taught on your 1 drawing"));
        QVERIFY2(window->windowTitle().contains("taught on 1 drawing"), qPrintable(window->windowTitle()));
        QVERIFY(window->hasUnsavedWork());
        QVERIFY(!window->close());  // asks first, and names what would be lost
        auto* question = window->findChild<QMessageBox*>("closeQuestion");
        QVERIFY(question);
        QCOMPARE(question->text(), QString("The taught model is not saved."));
        question->button(QMessageBox::Cancel)->click();
        QCoreApplication::processEvents();
        QVERIFY(window->isVisible());
        QVERIFY(window->modelInfo().recipe.ends_with("taught on 1 drawing"));
        // The built-in model's test accuracy is not the taught one's: the status no longer claims it.
        const QLabel* status = window->findChild<QLabel*>("modelStatus");
        QVERIFY(status && !status->text().contains("test accuracy"));
        // Its tip tells where the model came from, teaching included.
        QVERIFY2(status->toolTip().contains("Trained on ") && status->toolTip().contains("taught on 1 drawing") &&
                     !status->toolTip().contains("deskewed"),
                 qPrintable(status->toolTip()));
        QVERIFY(window->modelInfo().test_accuracy < 0);
        // Everything fits a 1366×768 screen with My drawings open.
        QVERIFY(window->minimumSizeHint().width() <= 1366 && window->minimumSizeHint().height() <= 720);
        if (const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS"); !shots.isEmpty())
            QVERIFY(window->grab().save(QString(shots) + "/teach.png"));

        // Typed while the canvas has focus: a right answer is kept as an example, not taught.
        canvas->setFocus();
        const int shown = window->confidences()->winner();
        QTest::keyClick(canvas, static_cast<Qt::Key>(Qt::Key_0 + shown));
        QCOMPARE(window->myDrawings()->drawings().size(), std::size_t{2});
        QCOMPARE(*window->myDrawings()->drawings().drawings()[1].label, shown);
        QTest::qWait(50);
        QCOMPARE(taught.count(), 1);

        // Revert goes back to the built-in model.
        QPushButton* revert = button_named(*window->myDrawings(), "Revert");
        QVERIFY(revert && revert->isEnabled());
        QTest::mouseClick(revert, Qt::LeftButton);
        QCOMPARE(window->modelName(), QString("Built-in model"));
        QVERIFY(status->text().contains("test accuracy"));
        QVERIFY(!revert->isEnabled());
        QCOMPARE(window->myDrawings()->list()->count(), 2);

        // The drawings survive a restart.
        window.reset();
        MainWindow restarted;
        restarted.myDrawings()->load(path);
        QCOMPARE(restarted.myDrawings()->drawings().size(), std::size_t{2});
        QCOMPARE(*restarted.myDrawings()->drawings().drawings()[0].label, 7);
        QCOMPARE(restarted.myDrawings()->list()->count(), 2);

        // For the README: My drawings with two of every digit, at 1366×768.
        if (const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS"); !shots.isEmpty()) {
            const Rehearsal rehearsal = builtin_rehearsal();
            for (int digit = 0; digit < 10; ++digit)
                for (const StrokeRecord& d : upside_down(rehearsal.check, digit, 2)) {
                    StrokeRecord upright = d;
                    for (Stroke& st : upright.strokes)
                        for (QPointF& p : st) p = QPointF(1 - p.x(), 1 - p.y());
                    restarted.myDrawings()->add(upright, false);
                }
            restarted.useBuiltInModel();
            restarted.resize(1366, 740);
            restarted.show();
            QVERIFY(QTest::qWaitForWindowExposed(&restarted));
            restarted.findChild<QDockWidget*>("myDrawings")->show();
            restarted.canvas()->setDrawing(fit_to_canvas(upside_down(rehearsal.check, 7, 1).front().strokes));
            QTest::qWait(300);
            QVERIFY(restarted.grab().save(QString(shots) + "/my-drawings.png"));
        }
    }
};

QTEST_MAIN(TestTeach)
#include "test_teach.moc"

// Inside the network (insight_panel.h), driven as a person would: a made-up model whose mistakes
// are known (made_up_model.h) gives the expected confusion cells; clicking a cell lists exactly
// those digits in the gallery, in each order; opening one shows its ten probabilities; the
// weights view draws each unit's column of W₁ in the diverging colours, and only while visible;
// the window with the dock open still fits a small screen.
#include "confidence_view.h"
#include "confusion_view.h"
#include "drawing_classifier.h"
#include "drawing_inside_view.h"
#include "idx_writer.h"
#include "stroke_file.h"
#include "dataset.h"
#include "insight_panel.h"
#include "loss_chart.h"
#include "made_up_model.h"
#include "mistakes_gallery.h"
#include "training_panel.h"
#include "weights_view.h"
#include "window_fixture.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

using namespace digitpad;
using namespace digitpad::testing;

namespace {

std::shared_ptr<const TestReport> report_of(const Network& net, int epoch, std::shared_ptr<const Dataset> digits) {
    return std::make_shared<const TestReport>(
        TestReport{epoch, evaluate(net, *digits), digits, std::make_shared<const Network>(net)});
}

std::vector<std::uint32_t> indices(const std::vector<Mistake>& mistakes) {
    std::vector<std::uint32_t> v;
    for (const Mistake& m : mistakes) v.push_back(m.index);
    return v;
}

}  // namespace

class TestInsight : public QObject, public WindowFixture {
    Q_OBJECT
private slots:
    void a_cell_clicked_lists_its_digits() {
        InsightPanel panel;
        panel.resize(600, 520);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const auto digits = std::make_shared<const Dataset>(made_up_digits());
        panel.setReport(report_of(made_up_model(), 1, digits));

        ConfusionView* matrix = panel.confusion();
        QVERIFY(matrix->evaluation());
        for (int label = 0; label < 10; ++label)
            for (int answer = 0; answer < 10; ++answer)
                QCOMPARE(matrix->evaluation()->confusion[label][answer], answer == made_up_answer(label) ? 3u : 0u);
        QCOMPARE(panel.mistakes()->shown().size(), 6u);  // every mistake, before a cell is chosen

        QTest::mouseClick(matrix, Qt::LeftButton, Qt::NoModifier, matrix->cellRect(4, 9).center());
        QCOMPARE(panel.tabs()->currentWidget(), static_cast<QWidget*>(panel.mistakes()));
        MistakesGallery* gallery = panel.mistakes();
        QCOMPARE(indices(gallery->shown()), (std::vector<std::uint32_t>{12, 13, 14}));  // the three 4s
        QCOMPARE(gallery->list()->count(), 3);
        QVERIFY(gallery->list()->item(0)->text().startsWith("4 → 9"));
        const QLabel* summary = gallery->findChild<QLabel*>("mistakesSummary");
        QVERIFY2(summary->text().endsWith(": 3 mistakes, 4 read as 9"), qPrintable(summary->text()));
        gallery->setOrder(MistakesGallery::Order::least_sure);
        QCOMPARE(indices(gallery->shown()), (std::vector<std::uint32_t>{14, 13, 12}));  // ink 51, 128, 255
        gallery->setOrder(MistakesGallery::Order::most_sure);
        QCOMPARE(indices(gallery->shown()), (std::vector<std::uint32_t>{12, 13, 14}));

        // A right answer's cell lists nothing; Show All goes back to the six.
        QTest::mouseClick(matrix, Qt::LeftButton, Qt::NoModifier, matrix->cellRect(3, 3).center());
        QVERIFY(gallery->shown().empty());
        QTest::mouseClick(matrix, Qt::LeftButton, Qt::NoModifier, matrix->cellRect(7, 2).center());
        QCOMPARE(indices(gallery->shown()), (std::vector<std::uint32_t>{21, 22, 23}));
        auto* showAll = gallery->findChild<QPushButton*>();
        QVERIFY(showAll && showAll->isEnabled());
        QTest::mouseClick(showAll, Qt::LeftButton);
        QCOMPARE(gallery->shown().size(), 6u);

        // From the keyboard: the arrows to the 7s read as 2s, Enter; screen readers hear each
        // digit's accuracy.
        matrix->setFocus();
        QTest::keyClick(matrix, Qt::Key_Up);  // the last cell clicked, (7, 2), is current: up, and back
        QTest::keyClick(matrix, Qt::Key_Down);
        QCOMPARE(matrix->currentCell(), (std::pair{7, 2}));
        QTest::mouseClick(showAll, Qt::LeftButton);
        QTest::keyClick(matrix, Qt::Key_Return);
        QCOMPARE(indices(gallery->shown()), (std::vector<std::uint32_t>{21, 22, 23}));
        QVERIFY2(matrix->accessibleDescription().contains("4: 0.0%") && matrix->accessibleDescription().contains("9: 100.0%"),
                 qPrintable(matrix->accessibleDescription()));
        QTest::mouseClick(showAll, Qt::LeftButton);

        // Opening one: it shows large with the ten probabilities the network gives it.
        QListWidget* list = gallery->list();
        const QRect item = list->visualItemRect(list->item(5));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, item.center());
        QVERIFY(gallery->opened());
        const Mistake opened = *gallery->opened();
        QCOMPARE(opened.index, gallery->shown()[5].index);
        QVERIFY(gallery->probabilities()->isVisible());
        const auto& p = gallery->probabilities()->probabilities();
        QVERIFY(p);
        QCOMPARE(best_digit(*p), int(opened.answer));
        DigitImage d{};
        for (std::size_t i = 0; i < d.size(); ++i) d[i] = digits->image(opened.index)[i] / 255.0f;
        QCOMPARE(*p, predict_digit(made_up_model(), d));
    }

    // Test the Model, outside training: the model in use on a folder's test files, on another
    // thread (without a folder, Test Set asks for one); a folder without them gets a message,
    // and the matrix stays as it was.
    void test_the_model_fills_the_matrix_and_the_gallery() {
        QTemporaryDir dir;
        write_mnist_part(dir.path(), "t10k", made_up_digits());
        write_mnist_part(dir.path(), "train", made_up_digits());  // all four files: a data folder to keep
        InsightPanel panel;
        panel.resize(420, 500);  // narrow, as docked beside the canvas: a message takes two lines
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QPushButton* test = button_named(panel, "Test Set");
        QVERIFY(test);
        const QPoint testAt = test->mapTo(&panel, QPoint(0, 0));
        auto* status = panel.findChild<QLabel*>("testStatus");
        panel.testModel(dir.path());
        QCOMPARE(status->text(), QString("No model of 784 inputs and 10 classes to test."));
        QCoreApplication::processEvents();
        QCOMPARE(test->mapTo(&panel, QPoint(0, 0)), testAt);  // a message does not move the buttons
        panel.setNetwork(std::make_shared<const Network>(made_up_model()));
        // As the window answers it, with no data folder chosen.
        connect(&panel, &InsightPanel::testRequested, &panel, [&panel] { panel.testModel(QString()); });
        // Test Set with no data folder asks for one; cancelled, nothing is tested.
        QSignalSpy chosen(&panel, &InsightPanel::dataFolderChosen);
        QTest::mouseClick(test, Qt::LeftButton);
        QCoreApplication::processEvents();
        QVERIFY2(status->text().startsWith("Choose a data folder"), qPrintable(status->text()));
        QCoreApplication::processEvents();
        QCOMPARE(test->mapTo(&panel, QPoint(0, 0)), testAt);  // nor a longer one, on two lines
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = panel.findChild<QFileDialog*>("dataFolderDialog")) != nullptr);
        QCOMPARE(dialog->fileMode(), QFileDialog::Directory);
        dialog->reject();
        QTRY_VERIFY(!panel.findChild<QFileDialog*>("dataFolderDialog"));
        QVERIFY(!panel.isTesting());
        // A folder without MNIST is tested (the message names what is missing) but not kept.
        panel.testModel(QString());
        QTRY_VERIFY((dialog = panel.findChild<QFileDialog*>("dataFolderDialog")) != nullptr);
        emit dialog->fileSelected(dir.path() + "/nowhere");
        dialog->close();
        QVERIFY(chosen.isEmpty());
        QTRY_VERIFY(!panel.isTesting());
        QVERIFY(!panel.confusion()->evaluation());
        QVERIFY2(status->text().contains("nowhere"), qPrintable(status->text()));
        // A folder that holds MNIST, chosen in the dialog, is tested and becomes the data folder.
        panel.testModel(QString());
        QTRY_VERIFY((dialog = panel.findChild<QFileDialog*>("dataFolderDialog")) != nullptr);
        emit dialog->fileSelected(dir.path());
        dialog->close();
        QCOMPARE(chosen.size(), 1);
        QCOMPARE(chosen.first().first().toString(), dir.path());
        QVERIFY(panel.isTesting());
        QTRY_VERIFY(!panel.isTesting());
        QVERIFY(panel.confusion()->evaluation());
        QCOMPARE(panel.confusion()->evaluation()->confusion[4][9], 3u);
        QCOMPARE(panel.confusion()->evaluation()->confusion[7][2], 3u);
        QCOMPARE(panel.mistakes()->shown().size(), 6u);
        QVERIFY2(status->text().startsWith("The model in use on ") && status->text().endsWith("(test): 80.00% of 30 digits right."),
                 qPrintable(status->text()));
    }

    // In the window, the folder chosen from Test Set is the training panel's data folder too.
    void the_folder_chosen_to_test_on_is_the_data_folder() {
        QSettings().remove("training");
        QTemporaryDir dir;
        write_mnist_part(dir.path(), "t10k", made_up_digits());
        write_mnist_part(dir.path(), "train", made_up_digits());
        MainWindow window;
        window.useBuiltInModel();
        QVERIFY(window.trainingPanel()->dataFolder().isEmpty());
        QPushButton* test = button_named(*window.insight(), "Test Set");
        QVERIFY(test);
        test->click();
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.insight()->findChild<QFileDialog*>("dataFolderDialog")) != nullptr);
        emit dialog->fileSelected(dir.path());
        dialog->close();
        QCOMPARE(window.trainingPanel()->dataFolder(), dir.path());
        QTRY_VERIFY(!window.insight()->isTesting());
        QVERIFY(window.insight()->confusion()->evaluation());
        QSettings().remove("training");
    }

    // The same gallery for drawings: a stroke file's labelled drawings, rendered as the canvas
    // renders them; a damaged file is named in the message; an empty My drawings is said so.
    void drawings_are_tested_as_the_canvas_reads_them() {
        QTemporaryDir dir;
        const Model builtIn = read_model(kDefaultModelPath);
        const std::vector<StrokeRecord> drawings{
            {Drawing{Stroke{{QPointF(0.5, 0.1), QPointF(0.5, 0.9)}}}, 1, "me", 1},
            {Drawing{Stroke{{QPointF(0.2, 0.15), QPointF(0.8, 0.15), QPointF(0.45, 0.9)}}}, 7, "me", 2},
            {Drawing{Stroke{{QPointF(0.5, 0.1), QPointF(0.5, 0.9)}}}, 4, "me", 3},  // a 1, labelled 4: a mistake
            {Drawing{Stroke{{QPointF(0.5, 0.1), QPointF(0.5, 0.9)}}}, std::nullopt, "me", 4}};  // unlabelled: left out
        const QString file = dir.filePath("mine.jsonl");
        write_stroke_file(file, drawings);
        InsightPanel panel;
        panel.setNetwork(std::make_shared<const Network>(builtIn.network));
        panel.testDrawings(file);
        QTRY_VERIFY(!panel.isTesting());
        const auto& e = panel.confusion()->evaluation();
        QVERIFY(e);
        QCOMPARE(e->samples, 3u);
        QCOMPARE(e->confusion[1][1], 1u);
        QCOMPARE(e->confusion[7][7], 1u);
        QCOMPARE(e->confusion[4][1], 1u);
        QCOMPARE(panel.mistakes()->shown().size(), 1u);
        QCOMPARE(int(panel.mistakes()->shown()[0].label), 4);
        auto* status = panel.findChild<QLabel*>("testStatus");
        QVERIFY2(status->text().contains("66.67% of 3 digits"), qPrintable(status->text()));

        QFile bad(dir.filePath("bad.jsonl"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"strokes\": 12}\n");
        bad.close();
        panel.testDrawings(bad.fileName());
        QTRY_VERIFY(!panel.isTesting());
        QVERIFY2(status->text().contains("bad.jsonl"), qPrintable(status->text()));
        QCOMPARE(panel.confusion()->evaluation()->samples, 3u);  // the last good test stays
        panel.testMyDrawings({});
        QVERIFY(status->text().startsWith("My drawings is empty"));
    }

    // A real run on MNIST in the window (where ../shared has it): after each epoch the matrix and
    // the gallery are that epoch's, the weights the run's; the README's pictures come from here.
    void a_real_training_run_fills_every_view() {
        if (!has_mnist(DIGITPAD_MNIST_DIR)) QSKIP("needs MNIST at DIGITPAD_MNIST_DIR");
        openWindow();
        window->resize(1366, 768 - 70);
        QDockWidget* dock = dock_of(*window, window->insight());
        dock->show();
        TrainingPanel* panel = window->trainingPanel();
        TrainingRequest r;
        r.dataDir = DIGITPAD_MNIST_DIR;
        r.recipe.sizes = {784, 800, 10};
        r.recipe.eta = 0.1f;
        r.recipe.batch = 128;
        r.recipe.epochs = 2;
        panel->setRequest(r);
        QSignalSpy tested(panel, &TrainingPanel::tested);
        QSignalSpy ended(panel, &TrainingPanel::trainingEnded);
        panel->start();
        QVERIFY(ended.wait(300000));
        QCOMPARE(tested.size(), 2);
        const auto last = tested.last()[0].value<std::shared_ptr<const TestReport>>();
        QCOMPARE(last->epoch, 2);
        QCOMPARE(last->evaluation.samples, 10000u);
        QCOMPARE(window->insight()->confusion()->evaluation()->confusion, last->evaluation.confusion);
        QCOMPARE(window->insight()->mistakes()->shown().size(),
                 std::min<std::size_t>(last->evaluation.mistakes.size(), MistakesGallery::kShown));
        drawStroke(window->canvas(), line({0.3, 0.25}, {0.7, 0.25}, 16) + line({0.7, 0.25}, {0.45, 0.8}, 16).mid(1));
        QTRY_VERIFY(window->confidences()->winner() >= 0);
        MistakesGallery* gallery = window->insight()->mistakes();
        gallery->setOrder(MistakesGallery::Order::most_sure);
        if (gallery->list()->count() > 0) gallery->list()->setCurrentRow(0);
        const char* tabs[] = {"confusion", "mistakes", "weights", "drawing"};
        for (int tab = 0; tab < 4; ++tab) {
            window->insight()->tabs()->setCurrentIndex(tab);
            if (tab == 2) window->insight()->weights()->setZoom(3);
            QCoreApplication::processEvents();
            if (const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS"); !shots.isEmpty())
                QVERIFY(dock->grab().save(QString(shots) + QString("/insight-%1.png").arg(tabs[tab])));
        }

        // A second run beside the first on the chart, its η raised live after the first epoch.
        QDockWidget* training = dock_of(*window, panel);
        training->show();
        training->raise();
        r.recipe.eta = 0.02f;
        panel->setRequest(r);
        QObject::connect(panel, &TrainingPanel::tested, panel, [panel](std::shared_ptr<const TestReport> report) {
            if (report->epoch == 1) panel->setLiveEta(0.2);
        });
        panel->start();
        QVERIFY(ended.wait(300000));
        QCOMPARE(panel->chart()->earlierRunCount(), 1);
        QCOMPARE(panel->chart()->etaMarks().size(), 1);
        QTest::qWait(2 * LossChart::kRedrawIntervalMs);  // the chart's last redraw
        if (const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS"); !shots.isEmpty())
            QVERIFY(training->grab().save(QString(shots) + "/training-runs.png"));
    }

    void newest_mistakes_come_first() {
        MistakesGallery gallery;
        const auto digits = std::make_shared<const Dataset>(made_up_digits());
        auto* order = gallery.findChild<QComboBox*>();
        QVERIFY(order);
        gallery.setReport(report_of(made_up_model(), 1, digits));
        QCOMPARE(order->itemText(0), QString("In test order"));  // nothing before it to be newer than
        // The next epoch's model also reads the 3s as 5s, and the 7s right again.
        Network next = made_up_model();
        auto& W = next.layer(0).W;
        W.row(kMadeUpPixel + 3).setZero();
        W(kMadeUpPixel + 3, 5) = 10.0f;
        W.row(kMadeUpPixel + 7).setZero();
        W(kMadeUpPixel + 7, 7) = 10.0f;
        gallery.setReport(report_of(next, 2, digits));
        QCOMPARE(indices(gallery.shown()), (std::vector<std::uint32_t>{9, 10, 11, 12, 13, 14}));  // 3s new, then 4s
        QVERIFY(gallery.list()->item(0)->toolTip().contains("new this epoch"));
        QVERIFY(!gallery.list()->item(3)->toolTip().contains("new this epoch"));
        QCOMPARE(order->itemText(0), QString("Newest first"));
        // Another test set (a one-off test of the model in use): no "newest" again.
        gallery.setReport(report_of(next, 0, std::make_shared<const Dataset>(made_up_digits())));
        QCOMPARE(order->itemText(0), QString("In test order"));
    }

    void weights_show_each_units_column() {
        Network net({784, 3, 10}, 1);
        Matrix& W = net.layer(0).W;
        W.setZero();
        W(0, 0) = 2.0f;                      // unit 0: one positive weight at the top left
        W(783, 1) = -1.0f;                   // unit 1: a negative one at the bottom right, and
        W(0, 1) = 0.5f;                      //   half as large a positive one at the top left
        WeightsView view;
        view.resize(300, 100);
        view.setNetwork(std::make_shared<const Network>(net));
        const QImage& tiles = view.tiles();
        QCOMPARE(view.tilesPerRow(), 3);  // √(3 tiles · aspect 3): one row
        const QRect t0 = view.tileRect(0), t1 = view.tileRect(1), t2 = view.tileRect(2);
        QCOMPARE(t1.left(), WeightsView::kTile + WeightsView::kGap);
        QCOMPARE(tiles.pixel(t0.topLeft()), qRgb(255, 0, 0));       // the tile's largest: full red
        QCOMPARE(tiles.pixel(t0.topLeft() + QPoint(5, 5)), qRgb(255, 255, 255));
        QCOMPARE(tiles.pixel(t1.bottomRight()), qRgb(0, 0, 255));   // full blue
        const QColor half = tiles.pixelColor(t1.topLeft());        // +0.5 of the largest 1: half red,
        QVERIFY(half.red() == 255 && std::abs(half.green() - 128) <= 2 && half.green() == half.blue());  // to 1/127
        QCOMPARE(tiles.pixel(t2.center()), qRgb(255, 255, 255));    // all zero: white
    }

    void weights_are_drawn_only_while_visible() {
        WeightsView view;
        view.resize(400, 240);
        for (int k = 0; k < 3; ++k) view.setNetwork(std::make_shared<const Network>(std::vector<int>{784, 40, 10}, k));
        QCoreApplication::processEvents();
        QCOMPARE(view.renders(), 0);  // hidden: the snapshots cost nothing
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE(view.renders(), 1);  // only the newest
        view.setNetwork(std::make_shared<const Network>(std::vector<int>{784, 40, 10}, 9));
        QTRY_COMPARE(view.renders(), 2);
    }

    void your_drawing_shows_its_contributions_and_strongest_units() {
        const auto net = std::make_shared<const Network>(std::vector<int>{784, 30, 10}, 2);
        DigitImage input{};
        for (std::size_t i = 0; i < input.size(); ++i) input[i] = (i * 37 % 11 == 0) ? 0.8f : 0.0f;
        DrawingInsideView view;
        view.setDrawing(net, input);
        const int answer = best_digit(net->predict(input));
        const auto& a = view.attribution();
        QVERIFY(a);
        QCOMPARE(a->cls, answer);
        QCOMPARE(a->contribution, attribute(*net, input, answer).contribution);
        const std::vector<int>& units = view.strongestUnits();
        QVERIFY(!units.empty() && units.size() <= static_cast<std::size_t>(DrawingInsideView::kUnitsShown));
        for (std::size_t k = 1; k < units.size(); ++k)
            QVERIFY(a->hidden[static_cast<std::size_t>(units[k - 1])] >= a->hidden[static_cast<std::size_t>(units[k])]);
        const float weakest_shown = a->hidden[static_cast<std::size_t>(units.back())];
        int stronger = 0;  // no unit left out fires more than the weakest shown
        for (float h : a->hidden) stronger += h > weakest_shown;
        QCOMPARE(stronger, static_cast<int>(units.size()) - 1);
        view.setDrawing(net, std::nullopt);
        QVERIFY(!view.attribution());
    }

    void the_window_fits_a_small_screen_with_it_open() {
        openWindow();
        QDockWidget* dock = dock_of(*window, window->insight());
        QVERIFY(dock);
        dock->show();
        dock->raise();
        QCoreApplication::processEvents();
        const QSize needed = window->minimumSizeHint().expandedTo(window->minimumSize());
        QVERIFY2(needed.width() <= 1280 && needed.height() <= 720 - 70, qPrintable(QString("%1x%2").arg(needed.width()).arg(needed.height())));
        // The weights view starts with the model the window reads.
        QVERIFY(!window->insight()->weights()->tiles().isNull());
        window->resize(1366, 768 - 70);
        // The built-in model on MNIST's test set where ../shared has it (the README's pictures),
        // else on the made-up digits.
        if (has_mnist(DIGITPAD_MNIST_DIR)) {
            window->insight()->testModel(DIGITPAD_MNIST_DIR);
            QTRY_VERIFY_WITH_TIMEOUT(!window->insight()->isTesting(), 60000);
            QCOMPARE(window->insight()->confusion()->evaluation()->samples, 10000u);
        } else {
            window->insight()->setReport(report_of(made_up_model(), 1, std::make_shared<const Dataset>(made_up_digits())));
        }
        MistakesGallery* gallery = window->insight()->mistakes();
        gallery->setOrder(MistakesGallery::Order::most_sure);
        if (gallery->list()->count() > 0) gallery->list()->setCurrentRow(0);
        drawStroke(window->canvas(), line({0.3, 0.25}, {0.7, 0.25}, 16) + line({0.7, 0.25}, {0.45, 0.8}, 16).mid(1));  // a 7
        QTRY_VERIFY(window->confidences()->winner() >= 0);
        for (int tab = 0; tab < 4; ++tab) {  // every view draws at this size
            window->insight()->tabs()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
        }
        // The drawing on the canvas, inside the network: the answer the confidences show.
        const auto& a = window->insight()->drawing()->attribution();
        QVERIFY(a);
        QCOMPARE(a->cls, window->confidences()->winner());
    }
};

QTEST_MAIN(TestInsight)
#include "test_insight.moc"

// The main window and files: models opened, saved, suggested, refused and dropped; pictures
// read from paper; the menus.
#include "window_fixture.h"

#include "confidence_view.h"
#include "digit_preview.h"
#include "drawing_canvas.h"
#include "grey_image.h"
#include "drawing_classifier.h"
#include "insight_panel.h"
#include "main_window.h"
#include "model_io.h"
#include "my_drawings_panel.h"
#include "recent_models.h"
#include "same_parameters.h"
#include "stroke_file.h"
#include "training_panel.h"

#include <QLabel>
#include <QSet>
#include <QFile>
#include <QFileDialog>
#include <QMessageBox>
#include <QMenu>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QDockWidget>
#include <QMimeData>
#include <QStatusBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace digitpad;
using namespace digitpad::testing;

namespace {

// A file dragged onto the window and dropped, as from a file manager; whether the window
// took the drag.
bool drop_file(MainWindow& window, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    return enter.isAccepted();
}

}  // namespace

class TestWindowFiles : public QObject, public WindowFixture {
    Q_OBJECT

private slots:
    void init() { openWindow(); }
    void cleanup() { window.reset(); }

    void a_device_or_a_model_of_the_wrong_shape_is_refused() {
        const auto before = window->network();
        QVERIFY(!window->openModel("/dev/zero"));  // would read forever
        QVERIFY2(window->lastError().contains("a device or a pipe"), qPrintable(window->lastError()));
        const QString wide = dir.filePath("wide.dpm");
        save_model(wide.toStdString(), Network({2000, 10}, 1), {});
        QVERIFY(!window->openModel(wide));
        QVERIFY2(window->lastError().contains("maps 2000 inputs to 10 classes"), qPrintable(window->lastError()));
        QCOMPARE(window->network(), before);
        QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
        QApplication::activeModalWidget()->close();
    }

    void broken_model_file_keeps_the_current_model() {
        const auto before = window->network();
        const QString path = dir.filePath("broken.dpm");
        std::ofstream(path.toStdString()) << "DIGITPAD but not really a model";
        QVERIFY(!window->openModel(path));
        QCOMPARE(window->network(), before);
        QVERIFY(window->lastError().contains("broken.dpm"));
        QVERIFY2(window->lastError().contains("version") || window->lastError().contains("truncated"),
                 qPrintable(window->lastError()));
        QCOMPARE(window->modelName(), QString("Built-in model"));
        QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);  // the message is shown
        saveScreenshot("broken-model.png");
        QApplication::activeModalWidget()->close();
    }

    void save_then_open_round_trips() {
        const QString path = dir.filePath("copy.dpm");
        QVERIFY(window->saveModel(path));
        QVERIFY(window->openModel(path));
        QCOMPARE(window->modelName(), QString("copy.dpm"));
        QCOMPARE(window->network()->layer(0).W, read_model(kDefaultModelPath).network.layer(0).W);
    }

    // #16 item 4: the model's label leaves the status bar's left side to messages, which
    // are then seen ("Loaded…" in the visible part of the bar).
    void status_messages_have_room() {
        const QString path = dir.filePath("shown.dpm");
        QVERIFY(window->saveModel(path));
        QVERIFY(window->openModel(path));
        QCOMPARE(window->statusBar()->currentMessage(), QString("Loaded shown.dpm"));
        const auto labels = window->statusBar()->findChildren<QLabel*>();
        QVERIFY(!labels.isEmpty());
        int left = window->statusBar()->width();
        for (const QLabel* l : labels)
            if (l->isVisible()) left = std::min(left, l->geometry().left());
        const int needed = window->statusBar()->fontMetrics().horizontalAdvance("Loaded shown.dpm");
        QVERIFY2(left > needed + 10, qPrintable(QString("the label starts at %1 px, the message needs %2").arg(left).arg(needed)));
    }

    // #16 item 5: Save As offers a real file name: the model's own file, or a dated name in
    // the folder last used (never the display label "Built-in model").
    void save_as_suggests_a_file_name() {
        const QString dated = QString("digitpad-%1.dpm").arg(QDate::currentDate().toString(Qt::ISODate));
        window->useBuiltInModel();
        QCOMPARE(QFileInfo(window->suggestedSavePath()).fileName(), dated);
        QVERIFY(!window->suggestedSavePath().contains("Built-in"));
        QTemporaryDir folder;
        const QString path = folder.filePath("mine.dpm");
        QVERIFY(window->saveModel(path));
        QCOMPARE(window->suggestedSavePath(), QFileInfo(path).absoluteFilePath());
        window->setModel(window->network(), window->modelInfo(), "Trained model (unsaved)");
        QCOMPARE(window->suggestedSavePath(), QDir(QFileInfo(path).absolutePath()).filePath(dated));
    }

    // My drawings ▸ Import through its dialog: the drawings of a stroke file join, a line that is
    // not one is counted and the first says why; a file with none says so and changes nothing.
    void importing_drawings_says_what_came_in_and_why_not() {
        QTemporaryDir folder;
        const QString mixed = folder.filePath("mixed.jsonl"), prose = folder.filePath("notes.txt");
        {
            std::ofstream out(mixed.toStdString());
            out << R"({"strokes": [[[210, 60], [205, 120], [190, 340]]], "label": 1})" << "\n"
                << "not a drawing\n"
                << R"({"strokes": [[[110, 80], [290, 80], [190, 330]]], "label": 7})" << "\n";
            std::ofstream(prose.toStdString()) << "# Notes\nsome words\n";
        }
        MyDrawingsPanel* panel = window->myDrawings();
        const std::size_t before = panel->drawings().size();
        auto importFrom = [&](const QString& path) {
            QPushButton* import = button_named(*panel, "Import…");
            QVERIFY(import);
            import->click();
            auto* dialog = panel->findChild<QFileDialog*>();
            QVERIFY(dialog);
            emit dialog->fileSelected(path);
            dialog->close();
            QCoreApplication::processEvents();
        };
        importFrom(prose);
        QCOMPARE(panel->drawings().size(), before);
        QVERIFY2(window->statusBar()->currentMessage().startsWith(
                     "Nothing imported: notes.txt has no labelled drawings (line 1: not valid JSON"),
                 qPrintable(window->statusBar()->currentMessage()));
        importFrom(mixed);
        QCOMPARE(panel->drawings().size(), before + 2);
        QVERIFY2(window->statusBar()->currentMessage().startsWith("Imported 2 drawings; 1 line skipped (line 2: not valid JSON"),
                 qPrintable(window->statusBar()->currentMessage()));
    }

    // The file dialogs start where the person last kept a model, not in the folder the app was
    // started from: My drawings' Import and Export, and testing on a drawings file.
    void file_dialogs_start_in_the_folder_last_used() {
        QTemporaryDir folder;
        QVERIFY(window->saveModel(folder.filePath("kept.dpm")));
        const QString expected = QFileInfo(folder.path()).canonicalFilePath();
        auto dialogFrom = [&](QWidget* panel, const QString& button) {
            if (QPushButton* b = button_named(*panel, button)) b->click();
            QFileDialog* dialog = panel->findChild<QFileDialog*>();
            if (dialog) dialog->deleteLater();
            return dialog;
        };
        for (const auto& [panel, button] : {std::pair<QWidget*, QString>{window->myDrawings(), "Import…"},
                                            {window->myDrawings(), "Export…"},
                                            {window->insight(), "Drawings File…"}}) {
            QFileDialog* dialog = dialogFrom(panel, button);
            QVERIFY2(dialog, qPrintable(button));
            QCOMPARE(QFileInfo(dialog->directory().absolutePath()).canonicalFilePath(), expected);
            dialog->close();
            QCoreApplication::processEvents();
        }
    }

    // File ▸ Export ▸ ONNX…, through its dialog: it offers the model's name as .onnx,
    // writes an ONNX graph (not a DigitPad file) that opens again as the same network, and
    // Save As afterwards still offers a DigitPad file.
    void export_onnx_from_the_menu() {
        const QString path = dir.filePath("small.dpm");
        const Network net({784, 16, 10}, 3);
        save_model(path.toStdString(), net, {"synthetic", 1, 0.5, "", 3, "sgd"});
        QVERIFY(window->openModel(path));
        QAction* onnx = action_named(*window, "ONNX…");
        QVERIFY(onnx);
        onnx->trigger();
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<QFileDialog*>("saveDialog")) != nullptr);
        QCOMPARE(QFileInfo(dialog->selectedFiles().value(0)).fileName(), QString("small.onnx"));
        QCOMPARE(dialog->defaultSuffix(), QString("onnx"));
        const QString target = dir.filePath("exported");
        emit dialog->fileSelected(target + ".onnx");  // what choosing the file and pressing Save sends
        dialog->close();
        QVERIFY2(QFileInfo::exists(target + ".onnx"), qPrintable(window->lastError()));
        QCOMPARE(window->statusBar()->currentMessage(), "Saved " + target + ".onnx");
        QFile file(target + ".onnx");
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().startsWith("DIGITPAD"));  // a graph, not a DigitPad file renamed
        const Model back = read_model(target + ".onnx");
        QVERIFY(same_parameters(back.network, net));
        QCOMPARE(back.info.recipe, std::string("sgd"));
        QVERIFY(window->openModel(target + ".onnx"));
        QCOMPARE(QFileInfo(window->suggestedSavePath()).fileName(), QString("exported.dpm"));
        // A deskewing model's graph does not deskew: the export says what a reader must do.
        Network deskewing = net;
        deskewing.set_deskew(0.5);
        save_model(path.toStdString(), deskewing, {"synthetic", 1, 0.5, "", 3, "sgd deskew=0.5"});
        QVERIFY(window->openModel(path));
        QVERIFY(window->saveModel(target + "-deskewing.onnx"));
        QVERIFY2(window->statusBar()->currentMessage().contains("deskew each first by 50% of its slant"),
                 qPrintable(window->statusBar()->currentMessage()));
        QCOMPARE(read_model(target + "-deskewing.onnx").network.deskew(), 0.5);
    }

    // File ▸ Use Built-in Model brings the shipped model back after another was opened.
    void use_built_in_model_from_the_menu() {
        const QString path = dir.filePath("small.dpm");
        save_model(path.toStdString(), Network({784, 16, 10}, 3), {});
        QVERIFY(window->openModel(path));
        QAction* use = action_named(*window, "Use Built-in Model");
        QVERIFY(use);
        use->trigger();
        QCOMPARE(window->modelName(), QString("Built-in model"));
        QCOMPARE(window->network()->sizes(), read_model(kDefaultModelPath).network.sizes());
    }

    // #16 item 9: dark ink on off-white paper (photos, scans) gives the network the same
    // input as on white: 0, 1 and 7 on five papers, with a thin and a thick pen (before, a 2
    // on #eeeeee read 8: the whole sheet counted as ink).
    void photos_on_off_white_paper_read_as_on_white() {
        const Model m = read_model(kDefaultModelPath);
        auto picture = [](QColor paper, int pen, int digit) {
            QImage image(240, 240, QImage::Format_RGB32);
            image.fill(paper);
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(QColor(30, 30, 40), pen, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            if (digit == 0) p.drawEllipse(QPointF(120, 120), 55, 85);
            if (digit == 1) p.drawLine(120, 30, 120, 210);
            if (digit == 7) p.drawPolyline(QPolygonF{QPointF(60, 40), QPointF(180, 40), QPointF(100, 210)});
            return image;
        };
        for (int digit : {0, 1, 7})
            for (int pen : {8, 18}) {
                const auto white = network_input_from_image(picture(Qt::white, pen, digit));
                QVERIFY(white);
                const int expected = predict_digit(m.network, *white)[static_cast<std::size_t>(digit)] > 0.5f ? digit : -1;
                QCOMPARE(expected, digit);  // the built-in model reads the white versions
                for (QColor paper : {QColor("#eeeeee"), QColor("#eeeadd"), QColor("#d8d8d8"), QColor("#dde8f4"), QColor("#f4ecd0")}) {
                    const auto off = network_input_from_image(picture(paper, pen, digit));
                    QVERIFY(off);
                    double diff = 0;
                    for (std::size_t k = 0; k < off->size(); ++k) diff += std::abs((*off)[k] - (*white)[k]);
                    diff /= double(off->size());
                    // 0 in 29 of the 30 cases; a centre of mass rounded to the next pixel moves a
                    // thin 0 by one pixel (0.048).
                    QVERIFY2(diff < 0.06, qPrintable(QString("%1 on %2, pen %3: mean difference %4").arg(digit).arg(paper.name()).arg(pen).arg(diff)));
                    const Probabilities p = predict_digit(m.network, *off);
                    QCOMPARE(int(std::max_element(p.begin(), p.end()) - p.begin()), digit);
                }
            }
    }

    // #16 item 10: a picture dropped on the window is read, shown in the preview, and gives
    // way to the canvas when the person draws.
    void dropping_a_picture_classifies_it() {
        QImage one(120, 120, QImage::Format_RGB32);
        one.fill(QColor("#eeeadd"));
        QPainter p(&one);
        p.setPen(QPen(Qt::black, 9, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(60, 15, 60, 105);
        p.end();
        const QString path = dir.filePath("one.png");
        QVERIFY(one.save(path));
        drop_file(*window, path);
        QCOMPARE(window->modelName(), QString("Built-in model"));  // not taken for a model
        QVERIFY2(window->lastError().isEmpty(), qPrintable(window->lastError()));
        QCOMPARE(window->confidences()->winner(), 1);
        QVERIFY(!window->preview()->image().isNull());
        drawStroke(window->canvas(), ellipse({0.5, 0.5}, 0.2, 0.3));
        QTRY_COMPARE(window->confidences()->winner(), 0);
        QVERIFY(!window->classifyPicture(dir.filePath("missing.png")));
    }

    // #16 item 16: Open Recent offers only files that still exist, with their paths as
    // tooltips, and can be cleared; Pause and Stop are off while nothing trains; Ctrl+Y redoes;
    // Help explains how it works.
    void menus_say_what_can_be_done() {
        QTemporaryDir own;
        const QString a = own.filePath("a.dpm"), b = own.filePath("b.dpm");
        QVERIFY(window->saveModel(a));
        QVERIFY(window->saveModel(b));
        QVERIFY(QFile::remove(b));
        QVERIFY(window->openModel(a));  // rebuilds the menu
        QMenu* recent = nullptr;
        for (QMenu* m : window->findChildren<QMenu*>())
            if (m->title().remove('&') == "Open Recent") recent = m;
        QVERIFY(recent);
        QStringList names;
        for (QAction* act : recent->actions())
            if (!act->isSeparator()) names << act->text().remove('&');
        QVERIFY2(names.contains("1  a.dpm") && !names.join(' ').contains("b.dpm"), qPrintable(names.join(" | ")));
        QCOMPARE(recent->actions().front()->toolTip(), QFileInfo(a).absoluteFilePath());
        QVERIFY(recent->toolTipsVisible());
        recent->actions().back()->trigger();  // Clear Menu
        QVERIFY(!recent->isEnabled());

        auto action = [&](const QString& text) { return action_named(*window, text); };
        QVERIFY(action("Start Training")->isEnabled());
        QVERIFY(!action("Pause / Resume")->isEnabled());
        QVERIFY(!action("Stop")->isEnabled());
        QVERIFY(action("Redo Stroke")->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Y)));
        QVERIFY(action("Start Training")->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Enter)));
        QVERIFY(action("How It Works")->shortcuts().contains(QKeySequence(Qt::Key_F1)));
        action("How It Works")->trigger();
        auto* how = window->findChild<QMessageBox*>("howItWorks");
        QVERIFY(how);
        QVERIFY(how->text().contains("What the network sees"));
        QVERIFY(how->text().contains("<b>Teaching.</b>"));
        QVERIFY(how->sizeHint().height() <= 720);  // fits a 1366×768 screen
        if (const QByteArray shots = qgetenv("DIGITPAD_SCREENSHOTS"); !shots.isEmpty())
            QVERIFY(how->grab().save(QString(shots) + "/how-it-works.png"));
        how->close();
    }

    void dropping_a_model_file_opens_it() {
        const QString path = dir.filePath("dropped.dpm");
        save_model(path.toStdString(), Network({784, 16, 10}, 3), {});
        QVERIFY(drop_file(*window, path));
        QCOMPARE(window->modelName(), QString("dropped.dpm"));
        QCOMPARE(window->network()->sizes(), (std::vector<int>{784, 16, 10}));
    }

    // A stroke file dropped on the window (as My drawings exports it) joins My drawings.
    void dropping_a_drawings_file_imports_it() {
        window->myDrawings()->load(dir.filePath("dropped-drawings/my-drawings.jsonl"));
        const QString path = dir.filePath("exported.jsonl");
        write_stroke_file(path, {{Drawing{Stroke{{QPointF(0.5, 0.1), QPointF(0.5, 0.9)}}}, 1, "me", 1},
                                 {Drawing{Stroke{{QPointF(0.2, 0.2), QPointF(0.8, 0.2), QPointF(0.4, 0.8)}}}, 7, "me", 2}});
        const auto model = window->network();
        drop_file(*window, path);
        QCOMPARE(window->myDrawings()->drawings().size(), std::size_t{2});
        QCOMPARE(*window->myDrawings()->drawings().drawings()[1].label, 7);
        QVERIFY(dock_of(*window, window->myDrawings())->isVisible());
        QCOMPARE(window->statusBar()->currentMessage(), QString("Imported 2 drawings"));
        QCOMPARE(window->network(), model);  // not taken for a model
    }

    // A model trained or taught here and not saved is not replaced without asking: Use
    // Built-in Model, Open Recent and a dropped file ask first; Cancel keeps it, Discard It
    // replaces it, Save saves it where the person says and then replaces it.
    void replacing_an_unsaved_model_asks_first() {
        const QString other = dir.filePath("other.dpm");
        save_model(other.toStdString(), Network({784, 16, 10}, 3), {});
        const auto taught = std::make_shared<const Network>(Network({784, 8, 10}, 5));
        auto teach = [&] {
            emit window->myDrawings()->taught(taught, 1);
            QVERIFY(window->hasUnsavedWork());
        };
        auto question = [&] {
            (void)QTest::qWaitFor([&] { return window->findChild<QMessageBox*>("replaceQuestion") != nullptr; }, 2000);
            return window->findChild<QMessageBox*>("replaceQuestion");
        };
        auto answer = [&](QMessageBox* box, const QString& text) {
            QVERIFY(box);
            for (QAbstractButton* b : box->buttons())
                if (b->text().remove('&') == text) b->click();
            QTRY_VERIFY(!window->findChild<QMessageBox*>("replaceQuestion"));
        };
        teach();
        action_named(*window, "Use Built-in Model")->trigger();
        QMessageBox* box = question();
        QVERIFY(box);
        QCOMPARE(box->text(), QString("The taught model is not saved."));
        answer(box, "Cancel");
        QCOMPARE(window->network(), taught);
        action_named(*window, "Use Built-in Model")->trigger();
        answer(question(), "Discard It");
        QCOMPARE(window->modelName(), QString("Built-in model"));
        // Nothing unsaved: no question.
        action_named(*window, "Use Built-in Model")->trigger();
        QCoreApplication::processEvents();
        QVERIFY(!window->findChild<QMessageBox*>("replaceQuestion"));

        // A dropped model file: Save, then it opens.
        teach();
        drop_file(*window, other);
        QCOMPARE(window->network(), taught);  // not yet
        answer(question(), "Save");
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<QFileDialog*>("saveDialog")) != nullptr);
        emit dialog->fileSelected(dir.filePath("kept-taught.dpm"));
        dialog->close();
        QCOMPARE(window->modelName(), QString("other.dpm"));
        QVERIFY(same_parameters(read_model(dir.filePath("kept-taught.dpm")).network, *taught));

        // Open Recent asks too.
        teach();
        RecentModels* recent = window->findChild<RecentModels*>();
        QVERIFY(recent);
        emit recent->openRequested(other);
        answer(question(), "Cancel");
        QCOMPARE(window->network(), taught);
    }
};

QTEST_MAIN(TestWindowFiles)
#include "test_window_files.moc"

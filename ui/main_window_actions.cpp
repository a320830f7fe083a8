// MainWindow's menus and their actions: File, Edit, Training and Help (main_window.h).
#include "main_window.h"

#include "drawing_canvas.h"
#include "help_dialogs.h"
#include "my_drawings_panel.h"
#include "recent_models.h"
#include "training_panel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>

namespace digitpad {
namespace {

// Tooltips carry the shortcut, as menus do.
void describe(QAction* action, const QString& tip) {
    const QString keys = action->shortcut().toString(QKeySequence::NativeText);
    action->setToolTip(keys.isEmpty() ? tip : QString("%1 (%2)").arg(tip, keys));
}

}  // namespace

void MainWindow::createActions() {
    createFileMenu();
    createEditMenu();
    createTrainingMenu();
    createHelpMenu();
}

void MainWindow::createFileMenu() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::chooseModelToOpen);
    open->setShortcut(QKeySequence::Open);
    describe(open, tr("Open a model file"));
    QAction* save = file->addAction(tr("&Save Model As…"), this, &MainWindow::chooseWhereToSave);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    describe(save, tr("Save the current model"));
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    QAction* onnx = exportMenu->addAction(tr("&ONNX…"), this, &MainWindow::chooseWhereToExportOnnx);
    describe(onnx, tr("Save the current model as an ONNX graph, for ONNX Runtime, PyTorch and other tools"));
    recent_ = new RecentModels(file->addMenu(tr("Open &Recent")), this);
    connect(recent_, &RecentModels::openRequested, this,
            [this](const QString& path) { replaceModel(tr("Open Model"), [this, path] { openModel(path); }); });
    QAction* builtIn = file->addAction(tr("Use &Built-in Model"), this,
                                       [this] { replaceModel(tr("Use Built-in Model"), [this] { useBuiltInModel(); }); });
    describe(builtIn, tr("Go back to the model that comes with DigitPad"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::createEditMenu() {
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    undoAction_ = edit->addAction(tr("&Undo Stroke"), canvas_, &DrawingCanvas::undo);
    undoAction_->setShortcut(QKeySequence::Undo);
    undoAction_->setIconText(tr("Undo"));
    describe(undoAction_, tr("Undo the last stroke"));
    redoAction_ = edit->addAction(tr("&Redo Stroke"), canvas_, &DrawingCanvas::redo);
    redoAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redoAction_->setIconText(tr("Redo"));
    describe(redoAction_, tr("Redo the stroke"));
    QAction* clear = edit->addAction(tr("&Clear Canvas"), canvas_, &DrawingCanvas::clear);
    clear->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::Key_Delete)});
    // Esc and Delete clear the drawing only where the drawing is: typed in a panel's field they
    // belong to the field.
    clear->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    canvas_->addAction(clear);
    describe(clear, tr("Clear the canvas"));
    undoAction_->setEnabled(false);
    redoAction_->setEnabled(false);
}

void MainWindow::createTrainingMenu() {
    QMenu* trainMenu = menuBar()->addMenu(tr("&Training"));
    QAction* start = trainMenu->addAction(tr("&Start Training"), training_, &TrainingPanel::start);
    start->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    QAction* pause = trainMenu->addAction(tr("&Pause / Resume"), training_, &TrainingPanel::togglePause);
    pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    QAction* stop = trainMenu->addAction(tr("S&top"), training_, &TrainingPanel::stop);
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    // Pause and Stop only while something trains; Start only while nothing does.
    auto followTraining = [start, pause, stop](bool training) {
        start->setEnabled(!training);
        pause->setEnabled(training);
        stop->setEnabled(training);
    };
    followTraining(false);
    connect(training_, &TrainingPanel::trainingStarted, this, [followTraining] { followTraining(true); });
    connect(training_, &TrainingPanel::trainingEnded, this, [followTraining] { followTraining(false); });
    trainMenu->addSeparator();
    // A dock's show/hide action, named for the menu and for its button.
    auto dockAction = [trainMenu](QDockWidget* dock, const QString& text, const QString& iconText, QKeySequence keys,
                                  const QString& tip) {
        QAction* show = dock->toggleViewAction();
        show->setText(text);
        show->setIconText(iconText);
        show->setShortcut(keys);
        describe(show, tip);
        // Tabbed with another panel, a dock that is shown must come to the front to be seen.
        connect(show, &QAction::triggered, dock, [dock](bool shown) {
            if (shown) dock->raise();
        });
        trainMenu->addAction(show);
    };
    dockAction(trainingDock_, tr("Training &Panel"), tr("Train…"), QKeySequence(Qt::CTRL | Qt::Key_T),
               tr("Show or hide the training panel"));
    dockAction(myDrawingsDock_, tr("&My Drawings"), tr("My drawings…"), QKeySequence(Qt::CTRL | Qt::Key_D),
               tr("Show or hide your drawings, which teach the network your handwriting"));
    dockAction(insightDock_, tr("&Inside the Network"), tr("Inside…"), QKeySequence(Qt::CTRL | Qt::Key_I),
               tr("Show or hide the confusion matrix, the mistakes and the first layer's weights"));
    QAction* teachNow = trainMenu->addAction(tr("Teach &Now"), myDrawings_, &MyDrawingsPanel::teachNow);
    describe(teachNow, tr("Teach the model your drawings"));
}

void MainWindow::createHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* how = help->addAction(tr("&How It Works"), this, [this] { showHowItWorks(this); });
    how->setShortcut(QKeySequence::HelpContents);  // F1 where the platform has no other key for help
    describe(how, tr("What happens between your drawing and the answer"));
    help->addAction(tr("&About DigitPad"), this, [this] { showAbout(this); });
}

}  // namespace digitpad

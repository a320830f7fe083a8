#include "main_window.h"

#include "atomic_file.h"
#include "confidence_view.h"
#include "digit_preview.h"
#include "drawing_canvas.h"
#include "familiar_digits.h"
#include "grey_image.h"
#include "model_io.h"
#include "my_drawings_panel.h"
#include "teach.h"
#include "training_panel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDate>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageReader>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace digitpad {
namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentModels";
const char* const kModelFolderKey = "modelFolder";
const char* const kCloseQuestion = "closeQuestion";  // the object name of "Quit DigitPad?"  // where models were last opened or saved
const char* const kModelFilter = "DigitPad models (*.dpm);;All files (*)";

QToolButton* toolButton(QAction* action) {
    auto* b = new QToolButton;
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(false);
    return b;
}

// Tooltips carry the shortcut, as menus do.
void describe(QAction* action, const QString& tip) {
    const QString keys = action->shortcut().toString(QKeySequence::NativeText);
    action->setToolTip(keys.isEmpty() ? tip : QString("%1 (%2)").arg(tip, keys));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      canvas_(new DrawingCanvas),
      confidences_(new ConfidenceView),
      preview_(new DigitPreview),
      prediction_(new QLabel),
      modelLabel_(new QLabel),
      training_(new TrainingPanel),
      myDrawings_(new MyDrawingsPanel) {
    setAcceptDrops(true);

    prediction_->setAlignment(Qt::AlignCenter);
    prediction_->setTextFormat(Qt::RichText);
    prediction_->setMinimumHeight(prediction_->fontMetrics().height() * 4);
    prediction_->setAccessibleName(tr("Predicted digit"));

    trainingDock_ = new QDockWidget(tr("Training"), this);
    trainingDock_->setObjectName("training");
    trainingDock_->setWidget(training_);
    // At the side: beside the canvas the panel fits a 1366×768 screen (below it, it cannot).
    addDockWidget(Qt::RightDockWidgetArea, trainingDock_);
    connect(trainingDock_, &QDockWidget::dockLocationChanged, training_, [this](Qt::DockWidgetArea area) {
        training_->setOrientation(area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea ? Qt::Horizontal
                                                                                                     : Qt::Vertical);
    });
    connect(training_, &TrainingPanel::trainingStarted, this, &MainWindow::onTrainingStarted);
    connect(training_, &TrainingPanel::snapshot, this, &MainWindow::onSnapshot);
    connect(training_, &TrainingPanel::trainingEnded, this, &MainWindow::onTrainingEnded);
    connect(training_, &TrainingPanel::revertRequested, this, &MainWindow::revertTraining);

    myDrawingsDock_ = new QDockWidget(tr("My Drawings"), this);
    myDrawingsDock_->setObjectName("myDrawings");
    myDrawingsDock_->setWidget(myDrawings_);
    addDockWidget(Qt::RightDockWidgetArea, myDrawingsDock_);
    tabifyDockWidget(trainingDock_, myDrawingsDock_);
    connect(myDrawings_, &MyDrawingsPanel::taught, this, &MainWindow::onTaught);
    connect(myDrawings_, &MyDrawingsPanel::revertRequested, this, &MainWindow::revertTeaching);
    connect(myDrawings_, &MyDrawingsPanel::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
    connect(training_, &TrainingPanel::trainingStarted, myDrawings_, [this] { myDrawings_->setTeachingAllowed(false); });
    connect(training_, &TrainingPanel::trainingEnded, myDrawings_, [this] { myDrawings_->setTeachingAllowed(true); });
    connect(confidences_, &ConfidenceView::digitClicked, this, &MainWindow::learnDigit);
    connect(canvas_, &DrawingCanvas::digitTyped, this, &MainWindow::learnDigit);
    if (const QString problem = myDrawings_->load(); !problem.isEmpty())
        QTimer::singleShot(0, this, [this, problem] {
            lastError_ = problem;
            showError(tr("My Drawings"), problem);
        });

    createActions();
    restoreLayout();

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(toolButton(undoAction_));
    buttons->addWidget(toolButton(redoAction_));
    buttons->addStretch();
    trainButton_ = toolButton(trainingDock_->toggleViewAction());
    buttons->addWidget(trainButton_);
    buttons->addWidget(toolButton(myDrawingsDock_->toggleViewAction()));
    auto* clearButton = new QToolButton;
    clearButton->setText(tr("Clear"));
    clearButton->setToolTip(tr("Clear the canvas (Esc, Delete)"));
    connect(clearButton, &QToolButton::clicked, canvas_, &DrawingCanvas::clear);
    buttons->addWidget(clearButton);

    auto* left = new QVBoxLayout;
    left->setSpacing(8);
    left->addWidget(canvas_, 1);
    left->addLayout(buttons);

    auto* predictionBox = new QGroupBox(tr("Prediction"));
    auto* predictionLayout = new QVBoxLayout(predictionBox);
    predictionLayout->setSpacing(8);
    predictionLayout->addWidget(prediction_);
    predictionLayout->addWidget(confidences_, 1);
    auto* hint = new QLabel(tr("Wrong? Click the right digit, or type it."));
    hint->setWordWrap(true);
    hint->setToolTip(confidences_->toolTip());
    predictionLayout->addWidget(hint);

    auto* previewBox = new QGroupBox(tr("What the network sees"));
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(preview_);

    auto* right = new QVBoxLayout;
    right->setSpacing(12);
    right->addWidget(predictionBox, 1);
    right->addWidget(previewBox);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(16);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(modelLabel_);  // no stretch: messages need the room on the left

    connect(canvas_, &DrawingCanvas::drawingChanged, this, &MainWindow::scheduleClassification);
    connect(canvas_, &DrawingCanvas::historyChanged, this, [this] {
        undoAction_->setEnabled(canvas_->canUndo());
        redoAction_->setEnabled(canvas_->canRedo());
    });
    updateStatus();
    classifyNow();
    canvas_->setFocus();
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::chooseModelToOpen);
    open->setShortcut(QKeySequence::Open);
    describe(open, tr("Open a model file"));
    QAction* save = file->addAction(tr("&Save Model As…"), this, &MainWindow::chooseWhereToSave);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    describe(save, tr("Save the current model"));
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    QAction* builtIn = file->addAction(tr("Use &Built-in Model"), this, &MainWindow::useBuiltInModel);
    describe(builtIn, tr("Go back to the model that comes with DigitPad"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

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
        trainMenu->addAction(show);
    };
    dockAction(trainingDock_, tr("Training &Panel"), tr("Train…"), QKeySequence(Qt::CTRL | Qt::Key_T),
               tr("Show or hide the training panel"));
    dockAction(myDrawingsDock_, tr("&My Drawings"), tr("My drawings…"), QKeySequence(Qt::CTRL | Qt::Key_D),
               tr("Show or hide your drawings, which teach the network your handwriting"));
    QAction* teachNow = trainMenu->addAction(tr("Teach &Now"), myDrawings_, &MyDrawingsPanel::teachNow);
    describe(teachNow, tr("Teach the model your drawings"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* how = help->addAction(tr("&How It Works"), this, [this] {
        auto* box = new QMessageBox(QMessageBox::Information, tr("How DigitPad Works"),
                                    tr("<h3>From your drawing to a digit</h3>"
                                       "<p><b>The drawing path.</b> Your strokes are kept as lines, not pixels. To be read "
                                       "they are fitted to the canvas (the digit's longer side at 70% of it), drawn with a "
                                       "round pen, and made into a 28×28 grey picture the way MNIST's digits were made: "
                                       "cropped to the ink, scaled so that its longer side is 20 pixels, and placed so that "
                                       "its centre of mass is at the centre. <b>What the network sees</b> shows exactly that "
                                       "picture; the dotted square is the 20-pixel box.</p>"
                                       "<p><b>The network.</b> The 784 pixels, as a row, are multiplied by a 784×800 matrix "
                                       "of weights W₁ plus biases; the negative sums are set to zero (ReLU); the 800 results "
                                       "are multiplied by an 800×10 matrix W₂ plus biases, and softmax turns the ten sums "
                                       "into the ten confidences you see. A tiny mark gets no guess, and a best guess under "
                                       "60% is shown as not sure.</p>"
                                       "<p><b>Training.</b> For a batch of digits the network's answers are compared with the "
                                       "true ones (cross-entropy), the error is sent back through the two layers "
                                       "(back-propagation) and every weight takes a small step against its gradient. The "
                                       "chart shows the loss falling as it learns.</p>"),
                                    QMessageBox::Ok, this);
        box->setObjectName("howItWorks");
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    describe(how, tr("What happens between your drawing and the answer"));
    help->addAction(tr("&About DigitPad"), this, [this] {
        QMessageBox::about(
            this, tr("About DigitPad"),
            tr("<h3>DigitPad %1</h3><p>Draw a digit and watch a neural network recognise it.</p>"
               "<p>The network is the 784-800-10 feed-forward net of Jimmy Zhang's "
               "<i>On a simple matrix based neural network model</i>.</p>"
               "<p>The built-in model learnt from:</p><ul>"
               "<li><a href='http://yann.lecun.com/exdb/mnist/'>MNIST</a> (Yann LeCun, Corinna Cortes and "
               "Christopher J.C. Burges), under CC BY-SA 3.0;</li>"
               "<li>the pen-drawn digits of <a href='https://doi.org/10.5281/zenodo.1195803'>UNIPEN "
               "train_r01_v07</a> (Unipen Consortium, 1999; International Unipen Foundation; Guyon et al., ICPR "
               "1994), under CC BY 4.0.</li></ul>"
               "<p>Teaching rehearses 2,500 digits of each of the two, built in under the same licences.</p>"
               "<p>Built with Qt %2 (LGPL v3) and Eigen (MPL 2.0).</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::scheduleClassification() {
    // Mouse moves arrive faster than frames: classify once per pass of the event loop,
    // with the newest strokes, rather than once per event.
    if (classificationPending_) return;
    classificationPending_ = true;
    QTimer::singleShot(0, this, &MainWindow::classifyNow);
}

void MainWindow::classifyNow() {
    classificationPending_ = false;
    if (!canvas_->drawing().isEmpty()) picture_.reset();  // drawing replaces a dropped picture
    const bool tooSmall = too_small_to_read(canvas_->drawing());
    const auto input = picture_ ? picture_ : tooSmall ? std::nullopt : network_input(canvas_->drawing());
    preview_->setDigit(input);
    const std::shared_ptr<const Network>& network = model_.reading();
    if (!input || !network) {
        confidences_->setProbabilities(std::nullopt);
        prediction_->setText(!network ? tr("No model loaded")
                             : tooSmall ? tr("Too small to read: draw the digit larger")
                                        : tr("Draw a digit on the canvas"));
        prediction_->setToolTip(QString());
        return;
    }
    const Classification reading = read_input(*network, *input);
    confidences_->setProbabilities(reading.probabilities);
    const int digit = confidences_->winner();
    const double share = reading.probabilities[static_cast<std::size_t>(digit)];
    const bool familiar = familiarity_.familiar(reading.energy);
    const int pointSize = std::max(font().pointSize(), 9) * 3;
    if (!sure(reading, familiarity_)) {
        // At 90% or more for an H or a star, "not sure" alone would puzzle: say why.
        prediction_->setText(tr("<span style='font-size:%1pt; font-weight:600; color:gray'>%2?</span><br>%3")
                                 .arg(pointSize)
                                 .arg(digit)
                                 .arg(familiar ? tr("not sure") : tr("not sure: unlike the digits it knows")));
    } else {
        prediction_->setText(QString("<span style='font-size:%1pt; font-weight:600'>%2</span>").arg(pointSize).arg(digit));
    }
    prediction_->setToolTip(familiar ? tr("%1% sure").arg(100.0 * share, 0, 'f', 1)
                                     : tr("%1% sure, but unlike the digits the network knows").arg(100.0 * share, 0, 'f', 1));
}

void MainWindow::setModel(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name) {
    model_.choose({std::move(network), info, name, {}, false});
    modelChanged();
}

void MainWindow::modelChanged() {
    drawFamiliarityLine();
    myDrawings_->setTeachingBase(model_.teachingBase().network);
    myDrawings_->setCurrentModel(model_.model().network);
    myDrawings_->setRevertible(model_.taught());
    updateStatus();
    classifyNow();
}

void MainWindow::updateStatus() {
    const ModelState& m = model_.model();
    setWindowTitle(m.name.isEmpty() ? QString("DigitPad") : QString("DigitPad — %1").arg(m.name));
    if (!m.network) {
        modelLabel_->setText(tr("No model"));
        return;
    }
    QString text = QString("%1  ·  %2").arg(m.name, layer_sizes_text(*m.network));
    if (m.info.test_accuracy >= 0) text += tr("  ·  test accuracy %1%").arg(100.0 * m.info.test_accuracy, 0, 'f', 2);
    if (m.info.epochs > 0) text += tr("  ·  %n epoch(s)", nullptr, static_cast<int>(m.info.epochs));
    modelLabel_->setText(text);
}

bool MainWindow::openModel(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    try {
        Model model = read_model(path);
        const bool file = !path.startsWith(':');
        model_.choose({std::make_shared<const Network>(std::move(model.network)), model.info, name,
                       file ? QFileInfo(path).absoluteFilePath() : QString(), false});
        modelChanged();
        if (file) rememberRecent(QFileInfo(path).absoluteFilePath());
        lastError_.clear();
        statusBar()->showMessage(tr("Loaded %1").arg(name), 4000);
        return true;
    } catch (const std::exception& e) {
        lastError_ = tr("Could not open the model “%1”: %2").arg(QFileInfo(path).absoluteFilePath(), e.what());
        showError(tr("Open Model"), lastError_ + tr("\n\nThe current model is still in use."));
        return false;
    }
}

bool MainWindow::saveModel(const QString& path) {
    const ModelState& m = model_.model();
    if (!m.network) return false;
    try {
        ModelInfo info = m.info;
        if (info.created.empty()) info.created = now_iso8601();
        save_model(path.toStdString(), *m.network, info);
        model_.saved(QFileInfo(path).absoluteFilePath(), QFileInfo(path).fileName());
        updateStatus();
        rememberRecent(QFileInfo(path).absoluteFilePath());
        lastError_.clear();
        statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
        return true;
    } catch (const std::exception& e) {
        lastError_ = tr("Could not save the model to “%1”: %2").arg(path, e.what());
        showError(tr("Save Model"), lastError_);
        return false;
    }
}

void MainWindow::showError(const QString& title, const QString& text) {
    // Not exec(): the window (and any test driving it) keeps running while the message shows.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::useBuiltInModel() {
    const Model m = read_model(kDefaultModelPath);  // part of the program: cannot be damaged by a user
    setModel(std::make_shared<const Network>(m.network), m.info, tr("Built-in model"));
    statusBar()->showMessage(tr("Using the built-in model"), 4000);
}

QString MainWindow::suggestedSavePath() const {
    if (!model_.model().path.isEmpty()) return model_.model().path;
    QString folder = QSettings().value(kModelFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(folder).filePath(QString("digitpad-%1.dpm").arg(QDate::currentDate().toString(Qt::ISODate)));
}

void MainWindow::chooseModelToOpen() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), QString(), tr(kModelFilter));
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::chooseWhereToSave() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save Model As"), suggestedSavePath(), tr(kModelFilter));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += ".dpm";
    saveModel(path);
}

void MainWindow::rememberRecent(const QString& path) {
    QSettings settings;
    settings.setValue(kModelFolderKey, QFileInfo(path).absolutePath());
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    recentMenu_->setToolTipsVisible(true);  // the full path of each
    QStringList recent = QSettings().value(kRecentKey).toStringList();
    recent.erase(std::remove_if(recent.begin(), recent.end(), [](const QString& p) { return !QFileInfo::exists(p); }),
                 recent.end());  // files moved or deleted since are not offered
    for (int i = 0; i < recent.size(); ++i) {
        QAction* a = recentMenu_->addAction(QString("&%1  %2").arg(i + 1).arg(QFileInfo(recent[i]).fileName()));
        a->setToolTip(recent[i]);
        connect(a, &QAction::triggered, this, [this, path = recent[i]] { openModel(path); });
    }
    if (!recent.isEmpty()) {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("&Clear Menu"), this, [this] {
            QSettings().remove(kRecentKey);
            rebuildRecentMenu();
        });
    }
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::onTrainingStarted() { model_.trainingStarted(); }

void MainWindow::drawFamiliarityLine() {
    // About 40 ms of inference: off the UI thread. Until it is drawn, only unsure answers say so.
    familiarity_ = {};
    const std::shared_ptr<const Network> network = model_.model().network;
    if (!network) return;
    auto* watcher = new QFutureWatcher<Familiarity>(this);
    connect(watcher, &QFutureWatcher<Familiarity>::finished, this, [this, watcher, network] {
        if (network == model_.reading()) {
            familiarity_ = watcher->result();
            scheduleClassification();
        }
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([network] {
        try {
            return builtin_familiarity(*network);
        } catch (const std::exception&) {
            return Familiarity{};  // no line: only unsure answers say so
        }
    }));
}

void MainWindow::learnDigit(int digit) {
    if (canvas_->isEmpty() || too_small_to_read(canvas_->drawing())) {
        statusBar()->showMessage(tr("Draw a digit first, then click or type which digit it is"), 6000);
        return;
    }
    const bool wrong = confidences_->winner() != digit;
    StrokeRecord drawing;
    drawing.strokes = canvas_->drawing();
    drawing.label = digit;
    if (!myDrawings_->add(drawing, wrong)) return;
    myDrawingsDock_->show();
    myDrawingsDock_->raise();
    statusBar()->showMessage(wrong ? tr("Added to My drawings as a %1; teaching the network your handwriting…").arg(digit)
                                   : tr("Kept in My drawings as an example of a %1").arg(digit),
                             6000);
}

void MainWindow::onTaught(std::shared_ptr<const Network> network, std::size_t drawings) {
    const ModelState& base = model_.teachingBase();  // teaching again starts from it, not from this teach
    model_.taughtModel(std::move(network), taught_info(base.info, drawings),
                       tr("%1, taught on %2").arg(base.name, count_of(drawings, tr("drawing"), tr("drawings"))));
    modelChanged();
    statusBar()->showMessage(tr("The network has learnt your %1").arg(count_of(drawings, tr("drawing"), tr("drawings"))), 6000);
}

void MainWindow::revertTeaching() {
    if (!model_.teachingBase().network) return;
    model_.revertTeaching();
    modelChanged();
    statusBar()->showMessage(tr("Back to %1, from before teaching").arg(model_.model().name), 6000);
}

void MainWindow::onSnapshot(std::shared_ptr<const Network> network) {
    // The canvas follows the network as it learns; the identity of the model stays until the end.
    // Its line between digits and the rest moves with every step, so none is drawn until then.
    model_.follow(std::move(network));
    familiarity_ = {};
    modelLabel_->setText(tr("Training…  ·  %1").arg(layer_sizes_text(*model_.reading())));
    scheduleClassification();
}

void MainWindow::onTrainingEnded(TrainingEnd end, std::shared_ptr<const Network> network, const ModelInfo& info,
                                 const QString& message) {
    if (network)
        model_.trained(std::move(network), info, tr("Trained model (unsaved)"));
    else
        model_.trainingCameToNothing();
    modelChanged();
    if (end == TrainingEnd::diverged || end == TrainingEnd::failed) {
        lastError_ = message;
        showError(tr("Training"), message);
    } else {
        statusBar()->showMessage(message, 8000);
    }
}

void MainWindow::revertTraining() {
    if (!model_.canRevertTraining()) return;
    model_.revertTraining();
    modelChanged();
}

bool MainWindow::hasUnsavedWork() const { return model_.model().unsaved || training_->isTraining(); }

void MainWindow::askBeforeClosing() {
    if (findChild<QMessageBox*>(kCloseQuestion)) return;  // asked already: the question is open
    const bool training = training_->isTraining();
    auto* box = new QMessageBox(QMessageBox::Question, tr("Quit DigitPad"),
                                training ? tr("Training is in progress.") : tr("The trained model is not saved."),
                                QMessageBox::NoButton, this);
    box->setObjectName(kCloseQuestion);
    box->setInformativeText(training ? tr("Quitting stops it, and the network trained so far is lost. To keep it, "
                                          "cancel, stop the training and save the model.")
                                     : tr("Save it before quitting, or it is lost."));
    if (!training) box->addButton(QMessageBox::Save);
    box->addButton(training ? tr("Stop and Quit") : tr("Quit Without Saving"), QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box] {
        QAbstractButton* clicked = box->clickedButton();
        if (!clicked || box->buttonRole(clicked) == QMessageBox::RejectRole) return;  // Cancel: keep working
        if (box->buttonRole(clicked) == QMessageBox::DestructiveRole) {
            closeConfirmed_ = true;
            close();
            return;
        }
        // Save: where the person chooses, then quit (a failed save says why and stays open).
        auto* dialog = new QFileDialog(this, tr("Save Model As"), suggestedSavePath(), tr(kModelFilter));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix("dpm");
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
            if (!saveModel(path)) return;
            closeConfirmed_ = true;
            close();
        });
        dialog->open();
    });
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!closeConfirmed_ && hasUnsavedWork()) {
        e->ignore();
        askBeforeClosing();
        return;
    }
    hide();  // gone at once, even when the batch in flight takes seconds to finish
    training_->shutdown();  // stop after the current batch and join the thread
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    e->accept();
}

void MainWindow::restoreLayout() {
    // First run: a window for drawing; the training panel opens from Training ▸ Training Panel
    // or the Train… button, and the layout is remembered from then on.
    QSettings settings;
    resize(1000, 680);
    trainingDock_->hide();
    myDrawingsDock_->hide();
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls() && e->mimeData()->urls().front().isLocalFile()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    const QList<QUrl> urls = e->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile()) return;
    e->acceptProposedAction();
    const QString path = urls.front().toLocalFile();
    // A picture (PNG, JPEG, …) is classified like `digitpad-cli predict` does; anything else
    // is taken for a model file.
    if (!QImageReader::imageFormat(path).isEmpty() && QFileInfo(path).suffix().compare("dpm", Qt::CaseInsensitive) != 0)
        classifyPicture(path);
    else
        openModel(path);
}

bool MainWindow::classifyPicture(const QString& path) {
    const QImage image(path);
    if (image.isNull()) {
        lastError_ = tr("Could not read the picture “%1”.").arg(path);
        showError(tr("Open Picture"), lastError_);
        return false;
    }
    const auto input = network_input_from_image(image);
    if (!input) {
        statusBar()->showMessage(tr("%1 is blank: there is no digit to read").arg(QFileInfo(path).fileName()), 6000);
        return false;
    }
    canvas_->clear();
    picture_ = input;
    classifyNow();
    statusBar()->showMessage(tr("Reading the picture %1 (draw to go back to the canvas)").arg(QFileInfo(path).fileName()), 8000);
    return true;
}

}  // namespace digitpad

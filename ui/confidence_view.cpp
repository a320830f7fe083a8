#include "confidence_view.h"

#include <QStringList>

#include <array>
#include <numeric>

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace digitpad {

ConfidenceView::ConfidenceView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::MinimumExpanding);
    setAccessibleName(tr("Class confidences"));
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Wrong? Click the right digit: the drawing joins My drawings and the network learns it"));
}

int ConfidenceView::digitAt(QPoint pos) const {
    if (!rect().contains(pos)) return -1;
    return std::clamp(static_cast<int>(pos.y() * 10 / std::max(1, height())), 0, 9);
}

void ConfidenceView::mousePressEvent(QMouseEvent* e) {
    const int digit = digitAt(e->position().toPoint());
    if (e->button() == Qt::LeftButton && digit >= 0) emit digitClicked(digit);
}

void ConfidenceView::setProbabilities(const std::optional<Probabilities>& probabilities) {
    probabilities_ = probabilities;
    // Screen readers hear the ten values, best first.
    QString description = tr("No guess");
    if (probabilities_) {
        std::array<int, 10> order{};
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return (*probabilities_)[a] > (*probabilities_)[b]; });
        QStringList parts;
        for (int d : order) parts << tr("%1: %2%").arg(d).arg(100.0 * (*probabilities_)[static_cast<std::size_t>(d)], 0, 'f', 1);
        description = parts.join(", ");
    }
    setAccessibleDescription(description);
    update();
    emit probabilitiesChanged();
}

int ConfidenceView::winner() const {
    if (!probabilities_) return -1;
    return best_digit(*probabilities_);
}

QSize ConfidenceView::sizeHint() const {
    const int row = fontMetrics().height() * 2;
    return {fontMetrics().horizontalAdvance("0 ") + 180 + fontMetrics().horizontalAdvance(" 100.0%"), row * 10};
}

QSize ConfidenceView::minimumSizeHint() const {
    const int row = fontMetrics().height() + 4;
    return {fontMetrics().horizontalAdvance("0  100.0%") + 60, row * 10};
}

void ConfidenceView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const int labelWidth = fm.horizontalAdvance("0") + fm.averageCharWidth() * 2;
    const int valueWidth = fm.horizontalAdvance("100.0%") + fm.averageCharWidth();
    const qreal rowHeight = height() / 10.0;
    const qreal barHeight = std::min(rowHeight * 0.6, fm.height() * 1.4);
    const int best = winner();
    const QColor track = palette().color(QPalette::Mid);
    const QColor bar = palette().color(QPalette::Highlight);
    for (int k = 0; k < 10; ++k) {
        const QRectF row(0, k * rowHeight, width(), rowHeight);
        const bool isWinner = k == best;
        QFont f = font();
        f.setBold(isWinner);
        p.setFont(f);
        p.setPen(palette().color(isWinner ? QPalette::Highlight : QPalette::WindowText));
        p.drawText(QRectF(row.x(), row.y(), labelWidth, row.height()), Qt::AlignCenter, QString::number(k));

        const QRectF trackRect(labelWidth, row.center().y() - barHeight / 2, width() - labelWidth - valueWidth, barHeight);
        QColor faint = track;
        faint.setAlpha(70);
        p.setPen(Qt::NoPen);
        p.setBrush(faint);
        p.drawRoundedRect(trackRect, barHeight / 4, barHeight / 4);
        const float q = probabilities_ ? (*probabilities_)[k] : 0.0f;
        if (q > 0) {
            QRectF filled = trackRect;
            filled.setWidth(std::max<qreal>(trackRect.width() * q, 2));
            QColor c = bar;
            if (!isWinner) c.setAlpha(110);
            p.setBrush(c);
            p.drawRoundedRect(filled, barHeight / 4, barHeight / 4);
        }
        p.setPen(palette().color(isWinner ? QPalette::Highlight : QPalette::WindowText));
        const QString value = probabilities_ ? QString::number(100.0 * q, 'f', 1) + "%" : QStringLiteral("–");
        p.drawText(QRectF(width() - valueWidth, row.y(), valueWidth, row.height()), Qt::AlignRight | Qt::AlignVCenter, value);
    }
}

}  // namespace digitpad

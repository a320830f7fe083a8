#include "confusion_view.h"

#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <QStringList>

#include <algorithm>

namespace digitpad {

namespace {

// The grid is 13 cells wide (the labels, ten answers, two for the accuracy) and 12 high (the
// title, the answers' header, ten digits).
constexpr int kColumns = 13, kRows = 12;

std::uint32_t row_total(const Evaluation& e, int label) {
    std::uint32_t n = 0;
    for (std::uint32_t v : e.confusion[static_cast<std::size_t>(label)]) n += v;
    return n;
}

// The share of `label`'s digits read right, as "97.5%"; empty when there were none.
QString digit_accuracy(const Evaluation& e, int label) {
    const std::uint32_t total = row_total(e, label);
    if (total == 0) return {};
    const auto l = static_cast<std::size_t>(label);
    return QString::number(100.0 * e.confusion[l][l] / total, 'f', 1) + "%";
}

}  // namespace

ConfusionView::ConfusionView(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("Confusion matrix"));
    setToolTip(tr("Rows: the true digit; columns: the network's answer. Click a cell to see those digits."));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::StrongFocus);
}

void ConfusionView::setEvaluation(const std::optional<Evaluation>& evaluation, const QString& title) {
    evaluation_ = evaluation;
    title_ = title;
    setCursor(evaluation_ ? Qt::PointingHandCursor : Qt::ArrowCursor);
    // Screen readers hear the title and each digit's accuracy.
    QStringList parts;
    if (evaluation_) {
        parts << tr("%1: %2% right").arg(title_).arg(100.0 * evaluation_->accuracy, 0, 'f', 2);
        for (int d = 0; d < 10; ++d)
            if (const QString right = digit_accuracy(*evaluation_, d); !right.isEmpty()) parts << tr("%1: %2").arg(d).arg(right);
    }
    setAccessibleDescription(parts.isEmpty() ? tr("Not tested yet") : parts.join(", "));
    update();
}

int ConfusionView::cell() const { return std::max(8, std::min(width() / kColumns, height() / kRows)); }

QRect ConfusionView::grid() const {
    const int c = cell();
    // The ten answers' columns start after the labels' column, the rows after title and header.
    return {c, 2 * c, 10 * c, 10 * c};
}

QRect ConfusionView::cellRect(int label, int answer) const {
    const QRect g = grid();
    const int c = cell();
    return {g.left() + answer * c, g.top() + label * c, c, c};
}

std::optional<std::pair<int, int>> ConfusionView::cellAt(QPoint pos) const {
    const QRect g = grid();
    if (!evaluation_ || !g.contains(pos)) return std::nullopt;
    const int c = cell();
    return std::pair{std::min(9, (pos.y() - g.top()) / c), std::min(9, (pos.x() - g.left()) / c)};
}

void ConfusionView::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    if (const auto at = cellAt(e->position().toPoint())) {
        current_ = *at;
        emit cellClicked(at->first, at->second);
    }
}

void ConfusionView::keyPressEvent(QKeyEvent* e) {
    auto [label, answer] = current_;
    switch (e->key()) {
    case Qt::Key_Up: label = std::max(0, label - 1); break;
    case Qt::Key_Down: label = std::min(9, label + 1); break;
    case Qt::Key_Left: answer = std::max(0, answer - 1); break;
    case Qt::Key_Right: answer = std::min(9, answer + 1); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (evaluation_) emit cellClicked(label, answer);
        return;
    default:
        QWidget::keyPressEvent(e);
        return;
    }
    current_ = {label, answer};
    update();
}

void ConfusionView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int c = cell();
    const QColor text = palette().color(QPalette::WindowText);
    if (!evaluation_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("The confusion matrix appears when the model is tested (below) or after an epoch of training."));
        return;
    }
    const Evaluation& e = *evaluation_;
    QFont small = font();
    small.setPixelSize(std::clamp(c * 2 / 5, 7, 14));
    p.setFont(small);
    p.setPen(text);
    p.drawText(QRect(0, 0, kColumns * c, c), Qt::AlignLeft | Qt::AlignVCenter,
               tr("%1: %2% of %3 test digits right")
                   .arg(title_)
                   .arg(100.0 * e.accuracy, 0, 'f', 2)
                   .arg(QLocale().toString(static_cast<qulonglong>(e.samples))));  // 10,000
    std::uint32_t worst = 1;  // the largest mistake count, for the red scale
    for (int label = 0; label < 10; ++label)
        for (int answer = 0; answer < 10; ++answer)
            if (label != answer) worst = std::max(worst, e.confusion[static_cast<std::size_t>(label)][static_cast<std::size_t>(answer)]);
    const QRect g = grid();
    for (int d = 0; d < 10; ++d) {
        p.setPen(text);
        p.drawText(QRect(g.left() + d * c, g.top() - c, c, c), Qt::AlignCenter, QString::number(d));  // answers
        p.drawText(QRect(0, g.top() + d * c, c, c), Qt::AlignCenter, QString::number(d));             // labels
    }
    p.drawText(QRect(g.right() + 1, g.top() - c, 2 * c, c), Qt::AlignCenter, tr("right"));
    for (int label = 0; label < 10; ++label) {
        const std::uint32_t total = row_total(e, label);
        for (int answer = 0; answer < 10; ++answer) {
            const std::uint32_t n = e.confusion[static_cast<std::size_t>(label)][static_cast<std::size_t>(answer)];
            const QRect r = cellRect(label, answer);
            QColor fill = palette().color(QPalette::Base);
            if (label == answer && total > 0) {
                const double share = static_cast<double>(n) / total;
                fill = QColor::fromRgbF(1.0 - 0.6 * share, 1.0 - 0.25 * share, 1.0 - 0.6 * share);
            } else if (n > 0) {
                const double share = 0.15 + 0.85 * static_cast<double>(n) / worst;
                fill = QColor::fromRgbF(1.0, 1.0 - 0.7 * share, 1.0 - 0.7 * share);
            }
            p.fillRect(r, fill);
            p.setPen(palette().color(QPalette::Mid));
            p.drawRect(r.adjusted(0, 0, -1, -1));
            if (n > 0) {
                p.setPen(Qt::black);  // on the light fills in either theme
                p.drawText(r, Qt::AlignCenter, QString::number(n));
            }
        }
        p.setPen(text);
        if (hasFocus() && current_.first == label) {  // the keyboard's cell
            QPen frame(palette().color(QPalette::Highlight), 2);
            p.setPen(frame);
            p.drawRect(cellRect(current_.first, current_.second).adjusted(1, 1, -2, -2));
            p.setPen(text);
        }
        const QString right = digit_accuracy(e, label);
        p.drawText(QRect(g.right() + 1, g.top() + label * c, 2 * c, c), Qt::AlignCenter,
                   right.isEmpty() ? QStringLiteral("–") : right);
    }
}

}  // namespace digitpad

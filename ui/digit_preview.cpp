#include "digit_preview.h"

#include "grey_image.h"

#include <QPainter>

namespace digitpad {

DigitPreview::DigitPreview(QWidget* parent) : QWidget(parent) {
    setAccessibleName(tr("What the network sees"));
    setToolTip(tr("The 28×28 image the network sees: the ink cropped, scaled to 20 pixels and centred by its mass"));
}

void DigitPreview::setDigit(const std::optional<DigitImage>& digit) {
    image_ = digit ? image_from_digit(*digit) : QImage();
    update();
}

void DigitPreview::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int side = std::min(width(), height());
    const QRect r((width() - side) / 2, (height() - side) / 2, side, side);
    p.fillRect(r, QColor(18, 18, 20));
    if (!image_.isNull()) p.drawImage(r, image_);  // no smoothing: each pixel stays a square
    // The 20-pixel box MNIST scales digits into, as a faint guide.
    QPen guide(palette().color(QPalette::Mid), 1, Qt::DotLine);
    p.setPen(guide);
    const qreal cell = side / 28.0;
    p.drawRect(QRectF(r.x() + 4 * cell, r.y() + 4 * cell, 20 * cell, 20 * cell));
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawRect(r.adjusted(0, 0, -1, -1));
}

}  // namespace digitpad

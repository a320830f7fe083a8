#include "strokes.h"

#include "grey_image.h"

#include <QPainter>
#include <QPainterPath>

namespace digitpad {

void paint_strokes(QPainter& painter, const Drawing& drawing, double pen_width) {
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, pen_width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const Stroke& s : drawing) {
        if (s.size() == 1)
            painter.drawPoint(s.front());  // a tap is a dot of the pen's width
        else
            painter.drawPolyline(s);
    }
}

QImage render_drawing(const Drawing& drawing, int side, double pen_width) {
    // Painted in 32 bits, white on black, so every pixel is grey (r = g = b) and its red byte is
    // the grey: the same bytes as painting a grey image itself (every drawing of UNIPEN val at
    // three pen widths; a test keeps it so), in a third of the time, since Qt's raster engine
    // paints grey images through a 32-bit copy of every span. (convertToFormat would take
    // longer than the painting: it goes through a colour-space transform.)
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::black);
    {
        QPainter p(&image);
        p.scale(side, side);
        paint_strokes(p, drawing, pen_width);
    }
    QImage grey(side, side, QImage::Format_Grayscale8);
    for (int y = 0; y < side; ++y) {
        const auto* rgb = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        uchar* out = grey.scanLine(y);
        for (int x = 0; x < side; ++x) out[x] = static_cast<uchar>(qRed(rgb[x]));
    }
    return grey;
}

QRectF bounds(const Drawing& drawing) {
    QRectF box;
    for (const Stroke& s : drawing) box = box.isNull() ? s.boundingRect() : box.united(s.boundingRect());
    return box;
}

GreyImage grey_drawing(const Drawing& drawing, int side, double pen_width) {
    const QImage image = render_drawing(drawing, side, pen_width);
    GreyImage grey{side, side, {}};
    grey.pixels.resize(static_cast<std::size_t>(side) * side);
    for (int y = 0; y < side; ++y) std::copy_n(image.constScanLine(y), side, grey.pixels.begin() + static_cast<std::ptrdiff_t>(y) * side);
    return grey;
}

Drawing fit_to_canvas(const Drawing& drawing, double fill) {
    if (drawing.isEmpty()) return drawing;
    const QRectF box = bounds(drawing);
    // A single dot or a perfectly straight stroke has a zero-width side: scale by the longer.
    const double longer = std::max(box.width(), box.height());
    const double scale = longer > 0 ? fill / longer : 1.0;
    const QPointF centre = box.center();
    Drawing fitted;
    for (const Stroke& s : drawing) {
        Stroke t;
        for (const QPointF& pt : s) t << QPointF(0.5, 0.5) + (pt - centre) * scale;
        fitted << t;
    }
    return fitted;
}

}  // namespace digitpad

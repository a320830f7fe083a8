#include "drawing_canvas.h"

#include <algorithm>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTabletEvent>
#include <QTouchEvent>

namespace digitpad {

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_AcceptTouchEvents);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::CrossCursor);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Drawing canvas"));
    setToolTip(tr("Draw a digit here, then type it (0-9) to teach it. Undo: Ctrl+Z, redo: Ctrl+Shift+Z, clear: Esc "
                  "or Delete"));
}

void DrawingCanvas::keyPressEvent(QKeyEvent* e) {
    const auto modifiers = e->modifiers() & ~Qt::KeypadModifier;
    if (e->key() >= Qt::Key_0 && e->key() <= Qt::Key_9 && modifiers == Qt::NoModifier) {
        emit digitTyped(e->key() - Qt::Key_0);
        return;
    }
    QWidget::keyPressEvent(e);
}

QRectF DrawingCanvas::paper() const {
    const qreal side = std::min(width(), height()) - 2.0;
    return {(width() - side) / 2.0, (height() - side) / 2.0, side, side};
}

QPointF DrawingCanvas::toCanvas(QPointF p) const {
    // A stroke dragged past the paper runs along its edge: what is kept is what is seen.
    const QRectF r = paper();
    return {std::clamp((p.x() - r.x()) / r.width(), 0.0, 1.0), std::clamp((p.y() - r.y()) / r.height(), 0.0, 1.0)};
}

void DrawingCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRectF r = paper();
    // The paper is black with white ink, as the network sees digits, in light and dark themes alike.
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath edge;
    edge.addRoundedRect(r.adjusted(1, 1, -1, -1), 6, 6);
    p.fillPath(edge, QColor(18, 18, 20));
    if (strokes_.isEmpty()) {
        p.setPen(QColor(150, 150, 155));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.3);
        p.setFont(f);
        p.drawText(r, Qt::AlignCenter, tr("Draw a digit"));
    } else {
        p.save();
        p.setClipPath(edge);  // the pen's round ends at the edge stay on the paper
        p.translate(r.topLeft());
        p.scale(r.width(), r.height());
        paint_strokes(p, strokes_);
        p.restore();
    }
    // The paper's edge, over the ink, shows keyboard focus in the palette's highlight, as fields do.
    p.setPen(hasFocus() ? QPen(palette().highlight().color(), 2) : QPen(palette().mid().color(), 1));
    p.setBrush(Qt::NoBrush);
    p.drawPath(edge);
}

void DrawingCanvas::remember() {
    undo_.push_back(strokes_);
    redo_.clear();
    emit historyChanged();
}

void DrawingCanvas::beginStroke(QPointF pos) {
    remember();
    strokes_.push_back(Stroke{toCanvas(pos)});
    drawing_ = true;
    update();
    emit drawingChanged();
}

void DrawingCanvas::extendStroke(QPointF pos) {
    if (!drawing_ || strokes_.isEmpty()) return;
    const QPointF c = toCanvas(pos);
    if (c == strokes_.back().back()) return;
    strokes_.back() << c;
    update();
    emit drawingChanged();
}

void DrawingCanvas::endStroke() { drawing_ = false; }

void DrawingCanvas::clear() {
    if (strokes_.isEmpty()) return;
    remember();
    strokes_.clear();
    update();
    emit drawingChanged();
}

void DrawingCanvas::undo() {
    if (undo_.isEmpty()) return;
    redo_.push_back(strokes_);
    strokes_ = undo_.takeLast();
    drawing_ = false;
    update();
    emit historyChanged();
    emit drawingChanged();
}

void DrawingCanvas::redo() {
    if (redo_.isEmpty()) return;
    undo_.push_back(strokes_);
    strokes_ = redo_.takeLast();
    update();
    emit historyChanged();
    emit drawingChanged();
}

void DrawingCanvas::setDrawing(const Drawing& drawing) {
    remember();
    strokes_ = drawing;
    update();
    emit drawingChanged();
}

void DrawingCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) beginStroke(e->position());
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* e) {
    if (e->buttons() & Qt::LeftButton) extendStroke(e->position());
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) {
        extendStroke(e->position());
        endStroke();
    }
}

void DrawingCanvas::tabletEvent(QTabletEvent* e) {
    switch (e->type()) {
    case QEvent::TabletPress: beginStroke(e->position()); break;
    case QEvent::TabletMove:
        if (e->buttons() != Qt::NoButton || e->pressure() > 0) extendStroke(e->position());
        break;
    case QEvent::TabletRelease: endStroke(); break;
    default: break;
    }
    e->accept();  // no synthesized mouse events: the pen has drawn already
}

bool DrawingCanvas::event(QEvent* e) {
    switch (e->type()) {
    case QEvent::TouchBegin:
    case QEvent::TouchUpdate:
    case QEvent::TouchEnd: {
        auto* t = static_cast<QTouchEvent*>(e);
        if (t->points().isEmpty()) return true;
        const QEventPoint& pt = t->points().front();
        if (e->type() == QEvent::TouchBegin)
            beginStroke(pt.position());
        else
            extendStroke(pt.position());
        if (e->type() == QEvent::TouchEnd) endStroke();
        e->accept();
        return true;
    }
    default: return QWidget::event(e);
    }
}

}  // namespace digitpad

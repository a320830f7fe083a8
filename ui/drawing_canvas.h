// The drawing surface: mouse, pen tablet or touch in, strokes kept as vectors, a grey image
// out. Undo and redo work per stroke.
#pragma once

#include "strokes.h"

#include <QWidget>

namespace digitpad {

class DrawingCanvas : public QWidget {
    Q_OBJECT
public:
    explicit DrawingCanvas(QWidget* parent = nullptr);

    const Drawing& drawing() const { return strokes_; }
    bool isEmpty() const { return strokes_.isEmpty(); }
    bool canUndo() const { return !undo_.isEmpty(); }
    bool canRedo() const { return !redo_.isEmpty(); }
    QSize sizeHint() const override { return {420, 420}; }
    QSize minimumSizeHint() const override { return {160, 160}; }

public slots:
    void clear();
    void undo();
    void redo();
    void setDrawing(const Drawing& drawing);

signals:
    // Emitted whenever the picture changes, including on every move while a stroke is drawn.
    void drawingChanged();
    void historyChanged();
    // A digit key was typed while the canvas had focus: the person says what the drawing is.
    void digitTyped(int digit);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void tabletEvent(QTabletEvent*) override;
    void keyPressEvent(QKeyEvent*) override;
    bool event(QEvent*) override;  // touch

private:
    QRectF paper() const;  // the square drawing area inside the widget
    QPointF toCanvas(QPointF widgetPos) const;
    void beginStroke(QPointF widgetPos);
    void extendStroke(QPointF widgetPos);
    void endStroke();
    void remember();  // pushes the current strokes on the undo history

    Drawing strokes_;
    QList<Drawing> undo_, redo_;
    bool drawing_ = false;
};

}  // namespace digitpad

// The first layer's weights as pictures: column j of W₁ (the 784 weights into hidden unit j) as
// a 28×28 tile, in a grid of the view's shape, blue for negative through white to red for positive, each tile scaled
// to its own largest weight so that every unit's pattern shows. It follows the weights as they
// learn (each snapshot of the training, five a second), drawing only while it is visible.
#pragma once

#include "network.h"

#include <QImage>
#include <QWidget>

#include <memory>

namespace digitpad {

class WeightsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kTile = 28, kGap = 1;

    explicit WeightsView(QWidget* parent = nullptr);

    void setNetwork(std::shared_ptr<const Network> network);
    // 1 fits the grid to the view; larger zooms in around the view's centre (Ctrl+wheel or the
    // wheel zooms, dragging moves the grid).
    void setZoom(double zoom);
    double zoom() const { return zoom_; }

    // The grid as drawn at one screen pixel a weight, and where unit j's tile is in it.
    const QImage& tiles();
    QRect tileRect(int unit) const;
    int tilesPerRow() const { return perRow_; }
    int renders() const { return renders_; }  // how many times the tiles were drawn

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void showEvent(QShowEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    bool event(QEvent*) override;  // tooltips: the unit under the pointer

private:
    void render();         // tiles_ from network_, when stale
    double scale() const;  // screen pixels a weight
    QPointF origin() const;  // where the grid's top-left corner is drawn
    int unitAt(QPoint pos) const;

    std::shared_ptr<const Network> network_;
    bool stale_ = true;
    QImage tiles_;
    int units_ = 0, perRow_ = 1;
    double zoom_ = 1;
    QPointF centre_{0.5, 0.5};  // the grid's point at the view's centre, as fractions of it
    QPoint dragFrom_;
    int renders_ = 0;
};

}  // namespace digitpad

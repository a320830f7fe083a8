// A drawing as vectors: strokes of points in canvas units, where the canvas is the unit
// square (0,0)-(1,1), y pointing down. The same rendering serves the widget and the
// scripted drawing path, so both see exactly the same pixels.
#pragma once

#include "preprocess.h"

#include <QImage>
#include <QPainter>
#include <QList>
#include <QPolygonF>

namespace digitpad {

using Stroke = QPolygonF;  // points in canvas units
using Drawing = QList<Stroke>;

// The pen's width as a share of the canvas side. The drawing path fits every drawing to 70%
// of the canvas before rendering, so strokes end up kPenWidth/0.7 of the digit's longer side:
// as thick, after scaling to MNIST's 20-pixel box, as MNIST's own (tuned on held-out strokes).
constexpr double kPenWidth = 0.085;
constexpr double kFill = 0.7;

// Draws the strokes white with the canvas's antialiased round pen on a painter already scaled
// to canvas units: the one drawing of strokes, for the widget and for render_drawing.
void paint_strokes(QPainter& painter, const Drawing& drawing, double pen_width = kPenWidth);

// Renders the drawing white on black into a side×side grey image: antialiased round pen.
QImage render_drawing(const Drawing& drawing, int side, double pen_width = kPenWidth);

// The canvas rendering as the core's grey image (ink = 255), at the resolution used for
// classification.
constexpr int kRenderSide = 140;
GreyImage grey_drawing(const Drawing& drawing, int side = kRenderSide, double pen_width = kPenWidth);

// Scales and moves a drawing given in any units so that its bounding box is centred on the
// canvas with its longer side at `fill` of the canvas side, as a person would draw it.
Drawing fit_to_canvas(const Drawing& drawing, double fill = kFill);

// The box around every stroke's points (null for an empty drawing).
QRectF bounds(const Drawing& drawing);

}  // namespace digitpad

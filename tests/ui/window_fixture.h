// What the window tests share: a person's strokes on the canvas, given in canvas units (0..1),
// and the window with the built-in model, as a person first sees it.
#pragma once

#include "drawing_canvas.h"
#include "main_window.h"
#include "model_io.h"

#include <QAction>
#include <QDockWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

namespace digitpad::testing {

// The canvas pixel of a point of its drawing area.
inline QPoint at(const DrawingCanvas* c, double x, double y) {
    const double side = std::min(c->width(), c->height()) - 2.0;
    return QPoint(static_cast<int>((c->width() - side) / 2 + x * side), static_cast<int>((c->height() - side) / 2 + y * side));
}

inline void drawStroke(DrawingCanvas* c, const QList<QPointF>& points, bool release = true) {
    QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, at(c, points.front().x(), points.front().y()));
    for (const QPointF& p : points.mid(1)) QTest::mouseMove(c, at(c, p.x(), p.y()));
    if (release) QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, at(c, points.back().x(), points.back().y()));
}

inline QList<QPointF> line(QPointF a, QPointF b, int n = 20) {
    QList<QPointF> pts;
    for (int i = 0; i <= n; ++i) pts << a + (b - a) * (double(i) / n);
    return pts;
}

inline QList<QPointF> ellipse(QPointF centre, double rx, double ry, int n = 48) {
    QList<QPointF> pts;
    for (int i = 0; i <= n; ++i) {
        const double t = 2 * M_PI * i / n;
        pts << centre + QPointF(rx * std::sin(t), -ry * std::cos(t));
    }
    return pts;
}

// The push button inside `parent` whose text, without its mnemonic, is `text` (null when none is).
inline QPushButton* button_named(const QWidget& parent, const QString& text) {
    for (QPushButton* b : parent.findChildren<QPushButton*>())
        if (b->text().remove('&') == text) return b;
    return nullptr;
}

// The window's menu action whose text, without its mnemonic, is `text` (null when none is).
inline QAction* action_named(const MainWindow& window, const QString& text) {
    for (QAction* a : window.findChildren<QAction*>())
        if (a->text().remove('&') == text) return a;
    return nullptr;
}

// The dock that holds `panel` (the training panel, My drawings, Inside the network).
inline QDockWidget* dock_of(const MainWindow& window, const QWidget* panel) {
    for (QDockWidget* d : window.findChildren<QDockWidget*>())
        if (d->widget() == panel) return d;
    return nullptr;
}

// A window on the built-in model, shown at 960×640 (openWindow() in each test's init()), and
// its screenshots where DIGITPAD_SCREENSHOTS names a folder.
struct WindowFixture {
    std::unique_ptr<MainWindow> window;
    QTemporaryDir dir;

    void openWindow() {
        window = std::make_unique<MainWindow>();
        const Model m = read_model(kDefaultModelPath);
        window->setModel(std::make_shared<const Network>(m.network), m.info, "Built-in model");
        window->resize(960, 640);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void saveScreenshot(const char* name) {
        const QByteArray target = qgetenv("DIGITPAD_SCREENSHOTS");
        if (!target.isEmpty()) QVERIFY(window->grab().save(QString(target) + "/" + name));
    }
};

}  // namespace digitpad::testing

// Thinning and tracing: shapes whose strokes are known.
#include "skeleton.h"

#include <QtTest>

#include <cmath>

using namespace digitpad;

namespace {

GreyImage blank(int w, int h) { return {w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, 0)}; }

void disc(GreyImage& g, double cx, double cy, double r) {
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            if (std::hypot(x - cx, y - cy) <= r) g.pixels[static_cast<std::size_t>(y) * g.width + x] = 255;
}

// A thick line drawn as a row of discs.
void line(GreyImage& g, double x0, double y0, double x1, double y1, double r = 1.2) {
    for (int i = 0; i <= 100; ++i) disc(g, x0 + (x1 - x0) * i / 100, y0 + (y1 - y0) * i / 100, r);
}

std::size_t total_points(const std::vector<Polyline>& strokes) {
    std::size_t n = 0;
    for (const auto& s : strokes) n += s.size();
    return n;
}

}  // namespace

class TestSkeleton : public QObject {
    Q_OBJECT
private slots:
    void thinning_leaves_one_pixel_lines() {
        std::vector<std::uint8_t> bar(20 * 9, 0);
        for (int y = 3; y < 6; ++y)
            for (int x = 2; x < 18; ++x) bar[static_cast<std::size_t>(y) * 20 + x] = 1;
        thin(bar, 20, 9);
        for (int x = 4; x < 16; ++x) {  // every inner column keeps exactly one pixel
            int column = 0;
            for (int y = 0; y < 9; ++y) column += bar[static_cast<std::size_t>(y) * 20 + x];
            QCOMPARE(column, 1);
        }
    }

    void a_straight_line_is_one_stroke() {
        GreyImage g = blank(28, 28);
        line(g, 14, 4, 14, 23);
        const auto strokes = trace_strokes(g);
        QCOMPARE(strokes.size(), std::size_t{1});
        QVERIFY(strokes[0].size() <= 4);  // simplified to (nearly) its two ends
        const auto& a = strokes[0].front();
        const auto& b = strokes[0].back();
        QCOMPARE_LE(std::abs(a[0] - 14), 1.0);
        QCOMPARE_GE(std::abs(a[1] - b[1]), 15.0);
    }

    void a_ring_is_one_closed_stroke() {
        GreyImage g = blank(28, 28);
        for (int i = 0; i < 360; i += 2) disc(g, 14 + 8 * std::cos(i * M_PI / 180), 14 + 8 * std::sin(i * M_PI / 180), 1.3);
        const auto strokes = trace_strokes(g);
        QCOMPARE(strokes.size(), std::size_t{1});
        const auto& s = strokes[0];
        QCOMPARE_LE(std::hypot(s.front()[0] - s.back()[0], s.front()[1] - s.back()[1]), 1.0);  // closed
        for (const auto& p : s) QCOMPARE_LE(std::abs(std::hypot(p[0] - 14, p[1] - 14) - 8), 1.5);
    }

    void a_cross_has_four_arms_from_its_centre() {
        GreyImage g = blank(28, 28);
        line(g, 4, 14, 24, 14);
        line(g, 14, 4, 14, 24);
        const auto strokes = trace_strokes(g);
        QVERIFY2(strokes.size() >= 2 && strokes.size() <= 4, qPrintable(QString::number(strokes.size())));
        // Together the strokes reach all four ends.
        for (const auto& end : std::vector<std::array<double, 2>>{{4, 14}, {24, 14}, {14, 4}, {14, 24}}) {
            double nearest = 1e9;
            for (const auto& s : strokes)
                for (const auto& p : s) nearest = std::min(nearest, std::hypot(p[0] - end[0], p[1] - end[1]));
            QCOMPARE_LE(nearest, 2.0);
        }
        QVERIFY(total_points(strokes) < 20);
    }

    void empty_image_has_no_strokes() { QVERIFY(trace_strokes(blank(28, 28)).empty()); }
};

QTEST_GUILESS_MAIN(TestSkeleton)
#include "test_skeleton.moc"

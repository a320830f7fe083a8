// Drawings as training data: a stroke set rendered into a Dataset is exactly what the canvas
// shows the network for the same drawing, and the stroke-space distortions are seeded,
// reproducible and nothing at strength 0.
#include "window_fixture.h"

#include "digit_preview.h"
#include "drawing_canvas.h"
#include "drawing_classifier.h"
#include "grey_image.h"
#include "main_window.h"
#include "model_io.h"
#include "stroke_augment.h"
#include "stroke_dataset.h"

#include <QLineF>
#include <QPainter>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <thread>

using namespace digitpad;
using digitpad::testing::drawStroke;
using digitpad::testing::line;

namespace {

// A 4 in two strokes, in tablet-like units.
Drawing four() {
    Stroke a, b;
    for (int i = 0; i <= 20; ++i) a << QPointF(30 - i, 5 * i);
    for (int i = 0; i <= 20; ++i) a << QPointF(10 + 2 * i, 100);
    for (int i = 0; i <= 30; ++i) b << QPointF(45, 40 + 4 * i);
    return {a, b};
}

double length(const Stroke& s) {
    double sum = 0;
    for (qsizetype i = 1; i < s.size(); ++i) sum += QLineF(s[i - 1], s[i]).length();
    return sum;
}

std::vector<std::uint8_t> bytes_of(const QImage& image) {
    std::vector<std::uint8_t> out;
    for (int y = 0; y < image.height(); ++y) out.insert(out.end(), image.constScanLine(y), image.constScanLine(y) + image.width());
    return out;
}

}  // namespace

class TestStrokeDataset : public QObject {
    Q_OBJECT
private slots:
    // render_drawing paints in 32 bits and keeps the red byte: byte for byte what painting a
    // grey image gives, on the hand-drawn digits and the non-digits at three pen widths.
    void rendering_is_the_grey_painting() {
        int drawings = 0;
        for (const char* name : {"/tests/data/hand_drawn.jsonl", "/tests/data/non_digits.jsonl"}) {
            const StrokeSet set = read_stroke_file(QString(DIGITPAD_SOURCE_DIR) + name);
            for (const StrokeRecord& r : set.records) {
                const Drawing d = fit_to_canvas(r.strokes);
                for (double width : {kPenWidth, 0.7 * kPenWidth, 1.3 * kPenWidth}) {
                    QImage grey(kRenderSide, kRenderSide, QImage::Format_Grayscale8);
                    grey.fill(Qt::black);
                    {
                        QPainter p(&grey);
                        p.scale(kRenderSide, kRenderSide);
                        paint_strokes(p, d, width);
                    }
                    QCOMPARE(render_drawing(d, kRenderSide, width), grey);
                }
                ++drawings;
            }
        }
        QVERIFY(drawings >= 20);
    }

    void a_rendered_drawing_is_the_canvas_input() {
        MainWindow window;
        const Model m = read_model(kDefaultModelPath);
        window.setModel(std::make_shared<const Network>(m.network), m.info, "Built-in model");
        window.resize(960, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* canvas = window.findChild<DrawingCanvas*>();
        auto* preview = window.preview();
        QVERIFY(canvas && preview);
        drawStroke(canvas, line({0.3, 0.25}, {0.7, 0.25}, 16) + line({0.7, 0.25}, {0.45, 0.8}, 16).mid(1));  // a 7
        QTRY_VERIFY(!preview->image().isNull());

        const std::vector<StrokeRecord> records{{canvas->drawing(), 7, "me", 1}};
        const Dataset data = render_drawings(records, "drawn");
        QCOMPARE(data.size(), std::size_t{1});
        QCOMPARE(int(data.labels[0]), 7);
        const auto image = data.image(0);
        // The rendering's bytes are the canvas's input to within rounding…
        const DigitImage input = *network_input(canvas->drawing());
        for (int k = 0; k < kImagePixels; ++k)
            QVERIFY(std::abs(image[static_cast<std::size_t>(k)] / 255.0f - input[static_cast<std::size_t>(k)]) <= 0.5f / 255 + 1e-6f);
        // …and the preview shows what the network reads of it, deskewed as the model deskews:
        // the same bytes, pixel for pixel, as the rendering where it does not deskew.
        const DigitImage read = read_input(m.network, input).input;
        QVERIFY(bytes_of(image_from_digit(read)) == bytes_of(preview->image()));
        QCOMPARE(bytes_of(preview->image()) == std::vector<std::uint8_t>(image.begin(), image.end()), m.network.deskew() == 0);
    }

    void unlabelled_and_empty_drawings_are_left_out() {
        const std::vector<StrokeRecord> records{{four(), 4, {}, 1}, {four(), std::nullopt, {}, 2}, {Drawing{}, 3, {}, 3}};
        const Dataset data = render_drawings(records, "mixed", {true, 2, StrokeAugmentOptions{}, 5});
        QCOMPARE(data.size(), std::size_t{3});
        for (std::uint8_t label : data.labels) QCOMPARE(int(label), 4);
    }

    // A long rendering says how far it is, on the calling thread, in order, ending at 1; and
    // renders the same images as without it.
    void rendering_reports_its_progress() {
        std::vector<StrokeRecord> records;
        for (int i = 0; i < 200; ++i) records.push_back({four(), 4, {}, i + 1});
        std::vector<double> seen;
        const auto caller = std::this_thread::get_id();
        bool elsewhere = false;
        const Dataset data = render_drawings(records, "r", {true, 1, StrokeAugmentOptions{}, 3}, nullptr, [&](double done) {
            elsewhere = elsewhere || std::this_thread::get_id() != caller;
            seen.push_back(done);
        });
        QVERIFY(!elsewhere);
        QVERIFY(seen.size() >= 2);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QVERIFY(seen.front() > 0 && seen.front() < 1);
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(data.images == render_drawings(records, "r", {true, 1, StrokeAugmentOptions{}, 3}).images);
    }

    void copies_are_the_drawing_then_seeded_distortions() {
        const std::vector<StrokeRecord> records{{four(), 4, {}, 1}, {four(), 1, {}, 2}};
        const Dataset a = render_drawings(records, "a", {true, 3, StrokeAugmentOptions{}, 11});
        const Dataset again = render_drawings(records, "a", {true, 3, StrokeAugmentOptions{}, 11});
        const Dataset other = render_drawings(records, "a", {true, 3, StrokeAugmentOptions{}, 12});
        QCOMPARE(a.size(), std::size_t{8});
        QVERIFY(a.images == again.images);  // seeded: the same seed, the same images
        QVERIFY(a.images != other.images);
        const auto plain = input_bytes(*network_input(four()));
        QVERIFY(std::equal(plain.begin(), plain.end(), a.image(0).begin()));  // copy 1 as drawn
        for (std::size_t c = 1; c < 4; ++c) QVERIFY(!std::equal(plain.begin(), plain.end(), a.image(c).begin()));
        // Drawing 2 is the same strokes: its copies draw from streams of their own.
        QVERIFY(!std::equal(a.image(1).begin(), a.image(1).end(), a.image(5).begin()));
        // Only the distorted copies: the same as those above.
        const Dataset distorted = render_drawings(records, "d", {false, 3, StrokeAugmentOptions{}, 11});
        QCOMPARE(distorted.size(), std::size_t{6});
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t c = 0; c < 3; ++c)
                QVERIFY(std::equal(a.image(i * 4 + 1 + c).begin(), a.image(i * 4 + 1 + c).end(), distorted.image(i * 3 + c).begin()));
        // At strength 0 the distorted copies are the drawing as drawn.
        const Dataset zero = render_drawings(records, "z", {false, 2, StrokeAugmentOptions{}.scaled(0), 11});
        for (std::size_t i = 0; i < zero.size(); ++i) QVERIFY(std::equal(plain.begin(), plain.end(), zero.image(i).begin()));
    }

    void strength_zero_leaves_the_drawing_unchanged() {
        std::mt19937_64 rng(3);
        const DistortedDrawing d = distort_drawing(four(), StrokeAugmentOptions{}.scaled(0), rng);
        QVERIFY(d.drawing == four());
        QCOMPARE(d.pen_width, kPenWidth);
    }

    void each_distortion_changes_the_drawing_and_is_reproducible() {
        const StrokeAugmentOptions zero = StrokeAugmentOptions{}.scaled(0), all;
        const std::vector<std::pair<const char*, double StrokeAugmentOptions::*>> kinds{
            {"rotation", &StrokeAugmentOptions::rotation_degrees}, {"slant", &StrokeAugmentOptions::slant},
            {"aspect", &StrokeAugmentOptions::aspect},             {"jitter", &StrokeAugmentOptions::jitter},
            {"warp", &StrokeAugmentOptions::warp},                 {"ends", &StrokeAugmentOptions::ends}};
        const Drawing fitted = fit_to_canvas(four());
        for (const auto& [name, field] : kinds) {
            StrokeAugmentOptions one = zero;
            one.*field = all.*field;
            std::mt19937_64 r1(9), r2(9);
            const DistortedDrawing a = distort_drawing(four(), one, r1), b = distort_drawing(four(), one, r2);
            QVERIFY2(a.drawing == b.drawing, name);
            QVERIFY2(a.drawing != fitted, name);
            QVERIFY2(a.pen_width == kPenWidth, name);
        }
        StrokeAugmentOptions pen = zero;
        pen.pen_width = 0.25;
        std::mt19937_64 rng(1);
        const DistortedDrawing p = distort_drawing(four(), pen, rng);
        QVERIFY(p.drawing == fitted);
        QVERIFY(p.pen_width != kPenWidth && p.pen_width >= kPenWidth * std::exp(-0.25) && p.pen_width <= kPenWidth * std::exp(0.25));
    }

    void ends_are_cut_or_drawn_on_within_their_share() {
        StrokeAugmentOptions ends = StrokeAugmentOptions{}.scaled(0);
        ends.ends = 0.2;
        const Drawing fitted = fit_to_canvas(four());
        const double first = length(fitted.front()), last = length(fitted.back());
        bool longer = false, shorter = false;
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            std::mt19937_64 rng(seed);
            const Drawing d = distort_drawing(four(), ends, rng).drawing;
            QCOMPARE(d.size(), fitted.size());
            // The start changes by at most 20% of the first stroke, the end by 20% of the last.
            QVERIFY(length(d.front()) >= 0.8 * first - 1e-9 && length(d.front()) <= 1.2 * first + 1e-9);
            QVERIFY(length(d.back()) >= 0.8 * last - 1e-9 && length(d.back()) <= 1.2 * last + 1e-9);
            longer |= length(d.front()) > first * 1.01;
            shorter |= length(d.front()) < first * 0.99;
            // The rest of the first stroke is untouched: its last point stays where it was.
            QCOMPARE(d.front().back(), fitted.front().back());
        }
        QVERIFY(longer && shorter);
    }

    void strokes_can_be_joined_as_by_a_pen_never_lifted() {
        StrokeAugmentOptions join = StrokeAugmentOptions{}.scaled(0);
        join.join = 1;
        std::mt19937_64 rng(1);
        const Drawing d = distort_drawing(four(), join, rng).drawing;
        QCOMPARE(d.size(), 1);
        const Drawing fitted = fit_to_canvas(four());
        QCOMPARE(d.front().size(), fitted[0].size() + fitted[1].size());
    }

    void scans_are_traced_into_labelled_drawings() {
        Dataset scans;
        scans.images.assign(2 * kImagePixels, 0);
        for (int y = 6; y < 22; ++y)
            for (int x = 13; x < 15; ++x) scans.images[static_cast<std::size_t>(y * kImageSide + x)] = 255;  // a 1; the second is blank
        scans.labels = {1, 5};
        const std::vector<StrokeRecord> traced = traced_drawings(scans);
        QCOMPARE(traced.size(), std::size_t{1});
        QCOMPARE(*traced[0].label, 1);
        const QRectF box = traced[0].strokes.front().boundingRect();
        QVERIFY(box.height() > 10 && box.width() < 3);  // a vertical line, in pixels
    }
};

QTEST_MAIN(TestStrokeDataset)
#include "test_stroke_dataset.moc"

// The drawing path's preprocessing, against what MNIST's own construction implies.
#include "dataset.h"
#include "model_file.h"
#include "preprocess.h"

#include <QtTest>

using namespace digitpad;

namespace {

GreyImage blank(int w, int h) { return {w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, 0)}; }

void fill(GreyImage& g, int x0, int y0, int x1, int y1, std::uint8_t v = 255) {
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) g.pixels[static_cast<std::size_t>(y) * g.width + x] = v;
}

// Bounding box of values above `threshold` in a 28×28 digit: {x0, y0, x1, y1} inclusive.
std::array<int, 4> ink_box(const DigitImage& d, float threshold = 0.05f) {
    std::array<int, 4> box{28, 28, -1, -1};
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
            if (d[static_cast<std::size_t>(y) * 28 + x] > threshold) {
                box[0] = std::min(box[0], x), box[1] = std::min(box[1], y);
                box[2] = std::max(box[2], x), box[3] = std::max(box[3], y);
            }
    return box;
}

}  // namespace

class TestPreprocess : public QObject {
    Q_OBJECT
private slots:
    void filled_square_lands_centred() {
        GreyImage g = blank(300, 200);
        fill(g, 10, 20, 110, 120);  // a 100×100 square far from the centre
        const auto d = preprocess(g);
        QVERIFY(d);
        const auto [cx, cy] = centre_of_mass(d->data(), 28, 28);
        QCOMPARE_LE(std::abs(cx - 14.0), 0.5);
        QCOMPARE_LE(std::abs(cy - 14.0), 0.5);
        const auto box = ink_box(*d);
        QCOMPARE(box[2] - box[0] + 1, 20);  // scaled to the 20-pixel box
        QCOMPARE(box[3] - box[1] + 1, 20);
    }

    void aspect_ratio_is_kept() {
        GreyImage g = blank(400, 400);
        fill(g, 150, 40, 190, 360);  // 40 wide, 320 tall: 1:8
        const auto d = preprocess(g);
        QVERIFY(d);
        const auto box = ink_box(*d);
        QCOMPARE(box[3] - box[1] + 1, 20);
        const int width = box[2] - box[0] + 1;
        QVERIFY2(width >= 2 && width <= 4, qPrintable(QString("width %1, expected 20/8 = 2.5").arg(width)));
        const auto [cx, cy] = centre_of_mass(d->data(), 28, 28);
        QCOMPARE_LE(std::abs(cx - 14.0), 0.5);
        QCOMPARE_LE(std::abs(cy - 14.0), 0.5);
    }

    // Area averaging keeps the mean; nearest neighbour would let a one-pixel line vanish.
    void area_averaging_keeps_thin_lines() {
        std::vector<float> src(100 * 100, 0.0f);
        for (int y = 0; y < 100; ++y) src[static_cast<std::size_t>(y) * 100 + 37] = 1.0f;  // 1-pixel vertical line
        const auto out = resample_area(src, 100, 100, 20, 20);
        double sum_in = 0, sum_out = 0;
        for (float v : src) sum_in += v;
        for (float v : out) sum_out += v;
        QCOMPARE_LE(std::abs(sum_out * 25 - sum_in), 1e-3);  // each output pixel covers 5×5 inputs
        QCOMPARE_LE(std::abs(out[7] - 0.2f), 1e-6f);         // the line shares output column 7 with 4 blanks
    }

    // Two classes of 100 pixels at 10 and 50 at 200: every threshold from 11 to 200 splits
    // them alike (between-class variance 100·50·190²), and the first of them is taken.
    void otsu_splits_a_bimodal_histogram() {
        std::array<std::uint64_t, 256> h{};
        h[10] = 100, h[200] = 50;
        QCOMPARE(otsu_threshold(h), 11);
        h[12] = 30;  // a third level joins the paper's class
        QCOMPARE(otsu_threshold(h), 13);
    }

    // Paper at 40 with ink at 220 (a photo, already inverted) becomes 0 and 255, the edges in
    // between stretched; a drawing (black paper, full ink) comes back unchanged.
    void paper_is_taken_out_of_photos() {
        GreyImage photo{10, 10, std::vector<std::uint8_t>(100, 40)};
        for (int i = 0; i < 20; ++i) photo.pixels[static_cast<std::size_t>(i)] = 220;
        photo.pixels[20] = 130;  // an edge half way
        const GreyImage clean = remove_background(photo);
        QCOMPARE(int(clean.pixels[50]), 0);
        QCOMPARE(int(clean.pixels[0]), 255);
        QCOMPARE(int(clean.pixels[20]), 128);  // (130 - 40) / (220 - 40) · 255 = 127.5
        GreyImage drawing = photo;
        for (auto& v : drawing.pixels) v = v == 40 ? 0 : v == 220 ? 255 : v;
        QCOMPARE(remove_background(drawing).pixels, drawing.pixels);
    }

    void empty_and_nearly_empty_images_are_not_digits() {
        QVERIFY(!preprocess(blank(280, 280)));
        GreyImage speck = blank(280, 280);
        fill(speck, 100, 100, 103, 103);
        QVERIFY(!preprocess(speck));
    }

    // An MNIST digit is already cropped, scaled and centred: preprocessing it again should
    // change little, and the default model should mostly decide the same.
    void mnist_digits_survive_preprocessing() {
        if (!has_mnist(DIGITPAD_MNIST_DIR)) QSKIP("MNIST not found at " DIGITPAD_MNIST_DIR " (tests use ../shared/data/mnist)");
        const Dataset test = load_mnist(DIGITPAD_MNIST_DIR, MnistPart::test);
        const Model model = load_model(DIGITPAD_SOURCE_DIR "/resources/models/default.dpm");
        double diff = 0;
        std::size_t same = 0;
        for (std::size_t i = 0; i < test.size(); ++i) {
            GreyImage g{28, 28, std::vector<std::uint8_t>(test.image(i).begin(), test.image(i).end())};
            DigitImage original;
            for (int k = 0; k < 784; ++k) original[k] = g.pixels[k] / 255.0f;
            const auto processed = preprocess(g);
            QVERIFY(processed);
            for (int k = 0; k < 784; ++k) diff += std::abs((*processed)[k] - original[k]);
            const auto p = model.network.predict(original), q = model.network.predict(*processed);
            same += std::max_element(p.begin(), p.end()) - p.begin() == std::max_element(q.begin(), q.end()) - q.begin();
        }
        const double mean_diff = diff / (784.0 * test.size());
        const double kept = static_cast<double>(same) / test.size();
        qInfo("MNIST test set through preprocessing: mean |Δpixel| = %.5f, class kept for %.2f%%", mean_diff, 100 * kept);
        QVERIFY(mean_diff < 0.05);
        QVERIFY(kept >= 0.99);
    }
};

QTEST_GUILESS_MAIN(TestPreprocess)
#include "test_preprocess.moc"

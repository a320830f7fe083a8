// Deskewing: the slant against hand-computed moments, the shear against hand-computed pixels,
// and every reader of a deskewing network (a training step, a test set, the familiarity line)
// against the paper's math run on inputs deskewed beforehand.
#include "dataset.h"
#include "deskew.h"
#include "evaluation.h"
#include "familiarity.h"
#include "optimizer.h"
#include "synthetic_data.h"
#include "trainer.h"

#include <QtTest>

#include <numeric>

using namespace digitpad;

namespace {

using Image = std::vector<float>;

Image blank() { return Image(kImagePixels, 0.0f); }
float& at(Image& image, int x, int y) { return image[static_cast<std::size_t>(y * kImageSide + x)]; }

// A line of unit pixels at x = y (rows 4 to 23): slant 1, centre of mass (13.5, 13.5).
Image diagonal() {
    Image image = blank();
    for (int y = 4; y < 24; ++y) at(image, y, y) = 1;
    return image;
}

double largest_difference(const Network& a, const Network& b) {
    double d = 0;
    for (std::size_t j = 0; j < a.layer_count(); ++j) {
        d = std::max<double>(d, (a.layer(j).W - b.layer(j).W).cwiseAbs().maxCoeff());
        d = std::max<double>(d, (a.layer(j).b - b.layer(j).b).cwiseAbs().maxCoeff());
    }
    return d;
}

// Every image of `data` as the B × 784 batch the trainer and evaluate() gather, and its labels.
std::pair<Matrix, std::vector<std::uint8_t>> whole_batch(const Dataset& data) {
    std::vector<std::uint32_t> all(data.size());
    std::iota(all.begin(), all.end(), 0u);
    Matrix X;
    std::vector<std::uint8_t> y;
    gather_batch(data, all, X, y);
    return {X, y};
}

// `data` deskewed and stored back as bytes, as a network of deskew 0 would be given it.
Dataset deskewed_bytes(const Dataset& data, double strength) {
    auto [X, y] = whole_batch(data);
    deskew_rows(X, strength);
    Dataset out = data;
    for (Eigen::Index k = 0; k < X.size(); ++k)
        out.images[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(std::lround(std::clamp(X.data()[k], 0.0f, 1.0f) * 255));
    return out;
}

}  // namespace

class TestDeskew : public QObject {
    Q_OBJECT
private slots:
    // Two unit pixels at (10, 10) and (12, 14): centre (11, 12), μ11 = (−1)(−2) + (1)(2) = 4,
    // μ02 = 4 + 4 = 8, so α = 0.5; the same pixels mirrored left to right lean the other way.
    void slant_is_mu11_over_mu02() {
        Image image = blank();
        at(image, 10, 10) = 1, at(image, 12, 14) = 1;
        QCOMPARE(slant(image), 0.5);
        Image mirrored = blank();
        at(mirrored, 17, 10) = 1, at(mirrored, 15, 14) = 1;
        QCOMPARE(slant(mirrored), -0.5);
        QCOMPARE(slant(diagonal()), 1.0);
    }

    // Row y of the diagonal is read from x + (y − 13.5): its pixel lands half on x = 13 and
    // half on 14 in every row, upright about the centre of mass.
    void full_strength_stands_the_diagonal_upright() {
        Image image = diagonal();
        deskew(image, 1);
        for (int y = 0; y < kImageSide; ++y)
            for (int x = 0; x < kImageSide; ++x) {
                const float expected = y >= 4 && y < 24 && (x == 13 || x == 14) ? 0.5f : 0.0f;
                QVERIFY2(std::abs(at(image, x, y) - expected) < 1e-6f,
                         qPrintable(QString("(%1, %2) is %3, expected %4").arg(x).arg(y).arg(at(image, x, y)).arg(expected)));
            }
        QCOMPARE_LE(std::abs(slant(image)), 1e-9);
    }

    // Half the strength leaves half the slant (the linear reading smears the line a little,
    // which moves the moments by less than 0.01).
    void half_strength_takes_out_half_the_slant() {
        Image image = diagonal();
        deskew(image, 0.5);
        QCOMPARE_LE(std::abs(slant(image) - 0.5), 0.01);
        const double ink = std::accumulate(image.begin(), image.end(), 0.0);
        QCOMPARE_LE(std::abs(ink - 20.0), 1e-5);  // no ink crosses the border
    }

    // A 1 with a flag: a stem at x = 14 on rows 8-27 and the flag's three pixels left of it on
    // row 8 (23 pixels of ink). Its moments lean it (the flag's ink sits up and left); with a
    // trim of 0.2 (4.6 pixels at each end) row 8 (4 pixels) and rows 24-27 (4) are left out,
    // the stem alone is measured, and the 1 is left upright as drawn.
    void a_trim_leaves_a_flag_out_of_the_slant() {
        Image one = blank();
        for (int y = 8; y < 28; ++y) at(one, 14, y) = 1;
        for (int x = 11; x < 14; ++x) at(one, x, 8) = 1;
        QCOMPARE_GT(slant(one), 0.05);
        QCOMPARE_LE(std::abs(slant(one, 0.2)), 1e-12);
        const Image before = one;
        deskew(one, 1, 0.2);
        for (std::size_t i = 0; i < one.size(); ++i) QCOMPARE_LE(std::abs(one[i] - before[i]), 1e-6f);
        Image leaned = before;
        deskew(leaned, 1);  // untrimmed, the stem is sheared
        QVERIFY(leaned != before);
        // The rows kept are those of the moments: a trim that would leave none measures them all.
        QCOMPARE(slant(diagonal(), 0.49), slant(diagonal()));
    }

    void strength_zero_and_blank_images_are_left_as_they_are() {
        Image image = diagonal();
        const Image before = image;
        deskew(image, 0);
        QVERIFY(image == before);
        Image empty = blank();
        deskew(empty, 1);
        QVERIFY(empty == blank());
        QCOMPARE(slant(empty), 0.0);
        Image one_row = blank();  // a horizontal bar: no spread over the rows, nothing to take out
        for (int x = 5; x < 20; ++x) at(one_row, x, 14) = 1;
        const Image bar = one_row;
        deskew(one_row, 1);
        QVERIFY(one_row == bar);
    }

    void a_batch_is_deskewed_row_by_row() {
        const Dataset data = testing::synthetic_digits(5, 11);
        auto [X, y] = whole_batch(data);
        Matrix expected = X;
        deskew_rows(X, 0.7);
        for (Eigen::Index r = 0; r < expected.rows(); ++r) {
            Image row(expected.row(r).data(), expected.row(r).data() + kImagePixels);
            deskew(row, 0.7);
            QVERIFY(Image(X.row(r).data(), X.row(r).data() + kImagePixels) == row);
        }
        QVERIFY(X != expected);
    }

    // One step of plain SGD on every image at once, as the trainer takes it, against the paper's
    // forward, backward and a ← a − η∇a run by hand on the batch deskewed beforehand.
    void a_deskewing_network_trains_on_its_inputs_deskewed() {
        const Dataset data = testing::synthetic_digits(40, 4);
        Network net({784, 32, 10}, 3);
        net.set_deskew(1);
        Network by_hand = net, as_drawn = net;
        Sgd sgd;
        sgd.eta = 0.1f;
        Trainer trainer(net, sgd, {1, data.size(), 1});
        QCOMPARE(trainer.run(data, nullptr), TrainingOutcome::finished);
        QCOMPARE(net.deskew(), 1.0);

        auto step = [&](Network& n, double strength) {
            auto [X, y] = whole_batch(data);
            deskew_rows(X, strength);
            Activations<float> act;
            Gradients<float> grad;
            n.forward_loss(X, y, act);
            n.backward(X, act, grad);
            Sgd rule;
            rule.eta = 0.1f;
            rule.update(grad, n);
        };
        step(by_hand, 1);
        step(as_drawn, 0);
        QCOMPARE_LE(largest_difference(net, by_hand), 1e-5);  // the batch's rows summed in another order
        QCOMPARE_GE(largest_difference(net, as_drawn), 1e-3);
    }

    // evaluate() and the familiarity line read a deskewing network's test digits deskewed: the
    // same as a network of deskew 0 given the digits deskewed beforehand (up to the bytes'
    // rounding, which may change an answer or two).
    void test_sets_and_the_familiarity_line_are_read_deskewed() {
        const Dataset train = testing::synthetic_digits(600, 5), test = testing::synthetic_digits(300, 6);
        Network net({784, 64, 10}, 2);
        Sgd sgd;
        sgd.eta = 0.05f;
        Trainer trainer(net, sgd, {2, 32, 1});
        trainer.run(train, nullptr);
        Network deskewing = net;
        deskewing.set_deskew(1);
        const Dataset pre = deskewed_bytes(test, 1);
        const Evaluation read = evaluate(deskewing, test), given = evaluate(net, pre), raw = evaluate(net, test);
        QCOMPARE_LE(std::abs(read.loss - given.loss), 0.01);
        QCOMPARE_GE(std::abs(read.loss - raw.loss), 0.05);
        const double line = calibrate_familiarity(deskewing, test, 0.9).max_energy;
        QCOMPARE_LE(std::abs(line - calibrate_familiarity(net, pre, 0.9).max_energy), 0.05);
        QCOMPARE_GE(std::abs(line - calibrate_familiarity(net, test, 0.9).max_energy), 0.05);
    }
};

QTEST_GUILESS_MAIN(TestDeskew)
#include "test_deskew.moc"

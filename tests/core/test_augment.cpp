// Distortions: none at strength 0, reproducible from a seed, of the size Simard describes,
// and a training run with them as reproducible as one without.
#include "augment.h"
#include "engine/kernels.h"
#include "preprocess.h"
#include "same_parameters.h"
#include "synthetic_data.h"
#include "threads.h"
#include "trainer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace digitpad;

namespace {

Dataset one_digit() {
    Dataset d;
    d.images.assign(kImagePixels, 0);
    for (int y = 6; y < 22; ++y)
        for (int x = 12; x < 16; ++x) d.images[static_cast<std::size_t>(y) * 28 + x] = 255;  // a "1"
    d.labels = {1};
    return d;
}

double mass(const float* img) {
    double m = 0;
    for (int i = 0; i < kImagePixels; ++i) m += img[i];
    return m;
}

// The distortion's arithmetic written out again, in double and pixel by pixel: the thickness
// blend towards the 3×3 maximum or minimum (zero outside the image), then a bilinear read of
// that at A⁻¹(p − c − shift) + c + field(p), clamped to [−1, 28], zero outside the image.
std::vector<double> reference_distortion(const std::uint8_t* image, const kernel::Distortion& d) {
    constexpr int N = kImageSide;
    auto pixel = [&](int x, int y) { return x < 0 || y < 0 || x >= N || y >= N ? 0.0 : image[y * N + x] / 255.0; };
    std::vector<double> src(N * N);
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) {
            double m = pixel(x, y);
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    m = d.thickness > 0 ? std::max(m, pixel(x + dx, y + dy)) : std::min(m, pixel(x + dx, y + dy));
            src[static_cast<std::size_t>(y * N + x)] = pixel(x, y) + std::abs(d.thickness) * (m - pixel(x, y));
        }
    auto at = [&](int x, int y) { return x < 0 || y < 0 || x >= N || y >= N ? 0.0 : src[static_cast<std::size_t>(y * N + x)]; };
    const double c = (N - 1) / 2.0;
    std::vector<double> out(N * N);
    for (int y = 0; y < N; ++y)
        for (int x = 0; x < N; ++x) {
            const std::ptrdiff_t f = d.origin + x * d.step_x + y * d.step_y;
            const double px = x - c - d.shift_x, py = y - c - d.shift_y;
            const double sx = std::clamp(d.inverse[0] * px + d.inverse[1] * py + c + d.field_x[f], -1.0, double(N));
            const double sy = std::clamp(d.inverse[2] * px + d.inverse[3] * py + c + d.field_y[f], -1.0, double(N));
            const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
            const double ax = sx - x0, ay = sy - y0;
            out[static_cast<std::size_t>(y * N + x)] = (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
                                                       ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1));
        }
    return out;
}

}  // namespace

class TestAugment : public QObject {
    Q_OBJECT
private slots:
    // The augmentation's streams: std::mt19937_64's numbers, the first 156 made cheaply and
    // the rest by the standard engine, for seeds small, large and random, and the same floats
    // through a distribution.
    void first_draws_are_the_standard_engines() {
        std::mt19937_64 seeds(42);
        for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{5}, ~std::uint64_t{0},
                                   std::uint64_t{1} << 63, seeds(), seeds(), seeds()}) {
            FirstDraws cheap(seed);
            std::mt19937_64 standard(seed);
            for (int k = 0; k < 400; ++k) QCOMPARE(cheap(), standard());
            FirstDraws cheap_again(seed);
            std::mt19937_64 standard_again(seed);
            std::uniform_real_distribution<float> u(-1.0f, 1.0f);
            for (int k = 0; k < 200; ++k) QCOMPARE(u(cheap_again), u(standard_again));
        }
    }

    void strength_zero_is_the_identity() {
        const Dataset d = one_digit();
        const Augmenter none(AugmentOptions{}.scaled(0), 1);
        FirstDraws rng(3);
        float out[kImagePixels];
        none.distort(d.image(0), out, rng);
        for (int i = 0; i < kImagePixels; ++i) QCOMPARE(out[i], d.image(0)[static_cast<std::size_t>(i)] / 255.0f);
    }

    void same_seed_same_distortion() {
        const Dataset d = one_digit();
        const Augmenter a(AugmentOptions{}, 1);
        float first[kImagePixels], second[kImagePixels], other[kImagePixels];
        FirstDraws r1(5), r2(5), r3(6);
        a.distort(d.image(0), first, r1);
        a.distort(d.image(0), second, r2);
        a.distort(d.image(0), other, r3);
        QVERIFY(std::equal(first, first + kImagePixels, second));
        QVERIFY(!std::equal(first, first + kImagePixels, other));
        // A distortion moves ink, it does not create or destroy much of it (thickness changes
        // and scaling change the amount by a bounded factor).
        const double original = 16.0 * 4.0;  // the "1" is 16 × 4 full pixels
        QCOMPARE_LE(std::abs(mass(first) / original - 1), 0.6);
    }

    // orient_field's eight orientations: output pixel (x, y) reads the field at (qx, qy), x and
    // y flipped by bits 0 and 1, or at (qy, qx) with the components swapped when bit 2 is set.
    void field_orientations_flip_and_transpose() {
        for (int o = 0; o < 8; ++o) {
            const FieldOrientation f = orient_field(o);
            QCOMPARE(f.swap, (o & 4) != 0);
            for (int y = 0; y < kImageSide; ++y)
                for (int x = 0; x < kImageSide; ++x) {
                    int qx = (o & 1) ? kImageSide - 1 - x : x, qy = (o & 2) ? kImageSide - 1 - y : y;
                    if (o & 4) std::swap(qx, qy);
                    QCOMPARE(f.origin + x * f.step_x + y * f.step_y, std::ptrdiff_t{qy * kImageSide + qx});
                }
        }
    }

    // The distortion kernel against the reference above, for thickening, thinning and neither,
    // in every field orientation, with maps that reach past the border; and every kernel set
    // the CPU runs to the same bits (the kernel is compiled without contraction).
    void distortion_kernel_follows_the_reference() {
        Dataset digits = testing::synthetic_digits(3, 4);
        std::mt19937_64 rng(8);
        std::normal_distribution<float> field(0.0f, 1.5f);
        std::vector<float> fx(kImagePixels), fy(kImagePixels);
        for (float& v : fx) v = field(rng);
        for (float& v : fy) v = field(rng);
        std::vector<std::vector<float>> first;  // each case's output with the first set
        QString first_set;
        for (const Kernels* set : compiled_kernels()) {
            if (!cpu_runs(*set)) continue;
            if (first_set.isEmpty()) first_set = set->instruction_set;
            std::size_t case_index = 0;
            for (float thickness : {0.25f, -0.12f, 0.0f})
                for (int o = 0; o < 8; ++o) {
                    const FieldOrientation f = orient_field(o);
                    const float angle = 0.3f * static_cast<float>(o - 4), scale = 0.9f + 0.04f * static_cast<float>(o);
                    const float c = std::cos(angle) / scale, s = std::sin(angle) / scale;
                    const kernel::Distortion d{thickness, {c, s, -s, c}, 1.5f - 0.4f * static_cast<float>(o), -2.0f + thickness,
                                               f.swap ? fy.data() : fx.data(), f.swap ? fx.data() : fy.data(), f.origin, f.step_x, f.step_y};
                    const std::uint8_t* image = digits.image(static_cast<std::size_t>(o % 3)).data();
                    std::vector<float> out(kImagePixels);
                    set->distort_digit(image, d, out.data());
                    const std::vector<double> want = reference_distortion(image, d);
                    double worst = 0;
                    for (int i = 0; i < kImagePixels; ++i) worst = std::max(worst, std::abs(out[static_cast<std::size_t>(i)] - want[static_cast<std::size_t>(i)]));
                    QVERIFY2(worst <= 1e-5, qPrintable(QString("%1, t %2, orientation %3: off by %4").arg(set->instruction_set).arg(thickness).arg(o).arg(worst)));
                    QVERIFY(mass(out.data()) > 1);  // something of the digit is in the picture
                    if (first.size() <= case_index) first.push_back(out);
                    QVERIFY2(out == first[case_index], qPrintable(QString("%1 differs from %2's bits").arg(set->instruction_set, first_set)));
                    ++case_index;
                }
        }
    }

    // Simard's fields: uniform noise in [−1, 1] smoothed by a Gaussian of σ = 4 and scaled by
    // α = 34 move a pixel by about α·(1/√3)/(2√π·σ) ≈ 1.4 px (standard deviation).
    void elastic_fields_have_simards_size() {
        AugmentOptions only_elastic = AugmentOptions{}.scaled(0);
        only_elastic.elastic_alpha = 34;
        const Augmenter a(only_elastic, 7, 64);
        // Measure the displacement through the image of a single bright pixel at the centre.
        Dataset dot;
        dot.images.assign(kImagePixels, 0);
        dot.images[14 * 28 + 14] = 255;
        dot.labels = {0};
        double sum2 = 0;
        int n = 0;
        FirstDraws rng(8);  // past its first 156 draws too
        for (int k = 0; k < 400; ++k) {
            float out[kImagePixels];
            a.distort(dot.image(0), out, rng);
            // Where the output samples the dot: its centre of mass is the displacement's negative.
            if (mass(out) < 1e-6) continue;
            const auto [cx, cy] = centre_of_mass(out, 28, 28);
            sum2 += std::pow(cx - 14, 2) + std::pow(cy - 14, 2);
            ++n;
        }
        const double per_axis = std::sqrt(sum2 / n / 2);
        qInfo("elastic displacement: %.2f px per axis (expected about 1.4)", per_axis);
        QVERIFY(per_axis > 0.8 && per_axis < 2.2);
    }

    void augmented_training_is_reproducible() {
        set_compute_threads(1);
        const Dataset data = testing::synthetic_digits(400, 1);
        auto run = [&](std::uint64_t seed) {
            Network net({784, 32, 10}, 1);
            Sgd sgd;
            TrainingConfig config{2, 32, seed};
            config.augment = AugmentOptions{};
            Trainer trainer(net, sgd, config);
            trainer.run(data, nullptr);
            return net;
        };
        const Network a = run(3), b = run(3), c = run(4);
        QVERIFY(testing::same_parameters(a, b));
        QVERIFY(!testing::same_parameters(a, c));
        set_compute_threads(0);
    }

    // The compute threads share a batch's images out; each image has its own random stream,
    // so the batch does not depend on how many threads made it, and its images differ.
    void augmented_batch_is_the_same_on_any_thread_count() {
        const Dataset data = testing::synthetic_digits(50, 2);
        const Augmenter augmenter(AugmentOptions{}, 1);
        std::vector<std::uint32_t> indices(37);
        for (std::size_t k = 0; k < indices.size(); ++k) indices[k] = static_cast<std::uint32_t>((k * 7) % 50);
        indices[36] = indices[0];  // the same image twice in a batch: two distortions of it
        std::vector<Matrix> batches;
        for (int threads : {1, 2, 3}) {
            set_compute_threads(threads);
            Matrix X;
            std::vector<std::uint8_t> y;
            gather_augmented_batch(data, indices, augmenter, 99, X, y);
            QCOMPARE(X.rows(), Eigen::Index{37});
            for (std::size_t k = 0; k < indices.size(); ++k) QCOMPARE(y[k], data.labels[indices[k]]);
            batches.push_back(X);
        }
        set_compute_threads(0);
        QVERIFY(batches[0] == batches[1] && batches[0] == batches[2]);
        QVERIFY(batches[0].row(0) != batches[0].row(36));
        Matrix other;
        std::vector<std::uint8_t> y;
        gather_augmented_batch(data, indices, augmenter, 100, other, y);
        QVERIFY(other != batches[0]);
    }
};

QTEST_GUILESS_MAIN(TestAugment)
#include "test_augment.moc"

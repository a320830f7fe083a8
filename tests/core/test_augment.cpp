// Distortions: none at strength 0, reproducible from a seed, of the size Simard describes,
// and a training run with them as reproducible as one without.
#include "augment.h"
#include "preprocess.h"
#include "same_parameters.h"
#include "synthetic_data.h"
#include "threads.h"
#include "trainer.h"

#include <QtTest>

#include <cmath>

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

}  // namespace

class TestAugment : public QObject {
    Q_OBJECT
private slots:
    void strength_zero_is_the_identity() {
        const Dataset d = one_digit();
        const Augmenter none(AugmentOptions{}.scaled(0), 1);
        std::mt19937_64 rng(3);
        float out[kImagePixels];
        none.distort(d.image(0), out, rng);
        for (int i = 0; i < kImagePixels; ++i) QCOMPARE(out[i], d.image(0)[static_cast<std::size_t>(i)] / 255.0f);
    }

    void same_seed_same_distortion() {
        const Dataset d = one_digit();
        const Augmenter a(AugmentOptions{}, 1);
        float first[kImagePixels], second[kImagePixels], other[kImagePixels];
        std::mt19937_64 r1(5), r2(5), r3(6);
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
        std::mt19937_64 rng(8);
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

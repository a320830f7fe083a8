// MixedBatches: every batch takes each source's share, from the right source, and one source
// behaves exactly as the plain shuffled batches always did.
#include "mixture.h"

#include <QtTest>

#include <map>
#include <set>

using namespace digitpad;

namespace {

// n images whose pixels 0 and 2 hold their index (low and high byte) and pixel 1 the source's tag; label = tag.
Dataset tagged(std::size_t n, std::uint8_t tag) {
    Dataset d;
    d.images.assign(n * kImagePixels, 0);
    for (std::size_t i = 0; i < n; ++i) {
        d.images[i * kImagePixels] = static_cast<std::uint8_t>(i % 256);
        d.images[i * kImagePixels + 1] = tag;
        d.images[i * kImagePixels + 2] = static_cast<std::uint8_t>(i / 256);
        d.labels.push_back(tag);
    }
    return d;
}

std::uint8_t byte(const Matrix& X, Eigen::Index r, Eigen::Index c) { return static_cast<std::uint8_t>(std::lround(X(r, c) * 255)); }

}  // namespace

class TestMixture : public QObject {
    Q_OBJECT
private slots:
    void one_source_is_the_plain_shuffled_batches() {
        const Dataset d = tagged(103, 5);
        MixedBatches mixed({{&d, 1.0, false}}, 10, 42);
        BatchSampler plain(d.size(), 10, 42);
        for (int epoch = 0; epoch < 3; ++epoch) {
            mixed.shuffle();
            plain.shuffle();
            QCOMPARE(mixed.batch_count(), plain.batch_count());
            for (std::size_t k = 0; k < plain.batch_count(); ++k) {
                Matrix X1, X2;
                std::vector<std::uint8_t> y1, y2;
                mixed.gather(k, nullptr, 0, X1, y1);
                gather_batch(d, plain.batch(k), X2, y2);
                QCOMPARE(X1.rows(), X2.rows());
                QVERIFY(X1 == X2);
                QVERIFY(y1 == y2);
            }
        }
    }

    void every_batch_takes_each_share_from_its_own_source() {
        const Dataset a = tagged(300, 1), b = tagged(40, 2), c = tagged(90, 3);
        MixedBatches mixed({{&a, 0.5, false}, {&b, 0.3, false}, {&c, 0.2, false}}, 16, 7);
        // 16 × (0.5, 0.3, 0.2) = 8, 4.8, 3.2: the remainder (one row) goes to the largest fraction, b's.
        QCOMPARE(mixed.rows_from(0), std::size_t{8});
        QCOMPARE(mixed.rows_from(1), std::size_t{5});
        QCOMPARE(mixed.rows_from(2), std::size_t{3});
        QCOMPARE(mixed.batch_count(), std::size_t{(300 + 40 + 90 + 15) / 16});
        std::map<int, std::multiset<int>> seen;  // source tag → image indices drawn this epoch
        mixed.shuffle();
        for (std::size_t k = 0; k < mixed.batch_count(); ++k) {
            Matrix X;
            std::vector<std::uint8_t> y;
            mixed.gather(k, nullptr, 0, X, y);
            QCOMPARE(X.rows(), Eigen::Index{16});
            for (Eigen::Index r = 0; r < 16; ++r) {
                const int tag = r < 8 ? 1 : r < 13 ? 2 : 3;
                QCOMPARE(int(y[static_cast<std::size_t>(r)]), tag);
                QCOMPARE(int(byte(X, r, 1)), tag);
                seen[tag].insert(byte(X, r, 0) + 256 * byte(X, r, 2));
            }
        }
        // b (40 images) is drawn 5 × 27 = 135 times in the epoch: every image at least three
        // times, none more than four (its order is reshuffled each time it runs out).
        for (int i = 0; i < 40; ++i) {
            QVERIFY2(seen[2].count(i) >= 3 && seen[2].count(i) <= 4, qPrintable(QString::number(i)));
        }
        // a (300 images) gives 8 × 27 = 216 distinct images, none twice.
        QCOMPARE(seen[1].size(), std::size_t{216});
        QCOMPARE(std::set<int>(seen[1].begin(), seen[1].end()).size(), std::size_t{216});
    }

    void the_same_seed_gives_the_same_batches() {
        const Dataset a = tagged(50, 1), b = tagged(30, 2);
        auto first_batch = [&](std::uint64_t seed) {
            MixedBatches mixed({{&a, 1.0, false}, {&b, 1.0, false}}, 8, seed);
            mixed.shuffle();
            Matrix X;
            std::vector<std::uint8_t> y;
            mixed.gather(0, nullptr, 0, X, y);
            return X;
        };
        QVERIFY(first_batch(3) == first_batch(3));
        QVERIFY(first_batch(3) != first_batch(4));
    }

    void a_source_without_images_or_share_is_refused() {
        const Dataset a = tagged(10, 1), empty;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MixedBatches({{&a, 1.0, true}, {&empty, 1.0, true}}, 4, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MixedBatches({{&a, 0.0, true}}, 4, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MixedBatches({}, 4, 1));
    }
};

QTEST_APPLESS_MAIN(TestMixture)
#include "test_mixture.moc"

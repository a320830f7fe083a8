// The 28×28 image the network actually sees, enlarged with visible pixels.
#pragma once

#include "preprocess.h"

#include <QImage>
#include <QWidget>

#include <optional>

namespace digitpad {

class DigitPreview : public QWidget {
    Q_OBJECT
public:
    explicit DigitPreview(QWidget* parent = nullptr);
    void setDigit(const std::optional<DigitImage>& digit);
    const QImage& image() const { return image_; }  // null when there is no digit
    QSize sizeHint() const override { return {140, 140}; }
    QSize minimumSizeHint() const override { return {84, 84}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QImage image_;
};

}  // namespace digitpad

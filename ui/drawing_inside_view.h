// Your drawing inside the network: for the digit on the canvas, what makes the answer. Left,
// the 28×28 input with each pixel's contribution to the winning digit's logit over it
// (gradient × input, attribution.h): red pixels push towards the answer, blue away from it.
// Right, the hidden units that fire most, each as its 28×28 weights (the pattern it looks for)
// with its activation, and below, all the units' activations sorted, largest first. It is
// computed only while shown.
#pragma once

#include "attribution.h"
#include "preprocess.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace digitpad {

class DrawingInsideView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kUnitsShown = 12;

    explicit DrawingInsideView(QWidget* parent = nullptr);

    // The model reading the canvas and the canvas's network input (nullopt: nothing drawn).
    void setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input);

    // What is shown: the attribution for the answer, and the units drawn, most active first.
    const std::optional<Attribution>& attribution();
    const std::vector<int>& strongestUnits();

    QSize sizeHint() const override { return {420, 380}; }

protected:
    void paintEvent(QPaintEvent*) override;
    void showEvent(QShowEvent*) override;

private:
    void compute();  // attribution_ and units_ from network_ and input_, when stale

    std::shared_ptr<const Network> network_;
    std::optional<DigitImage> input_;
    bool stale_ = true;
    std::optional<Attribution> attribution_;
    std::vector<int> units_;
};

}  // namespace digitpad

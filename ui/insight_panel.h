// Inside the network: the test set's confusion matrix, the digits it gets wrong, the first
// layer's weights and the person's own drawing inside the network, as tabs of one dock beside
// the training panel. The matrix and the mistakes follow each epoch's test report; the weights
// follow the model as it learns; the drawing follows the canvas. Clicking a cell of the matrix
// shows its digits in the gallery.
#pragma once

#include "preprocess.h"
#include "training_worker.h"

#include <QWidget>

#include <memory>

class QTabWidget;

namespace digitpad {

class ConfusionView;
class DrawingInsideView;
class MistakesGallery;
class WeightsView;

class InsightPanel : public QWidget {
    Q_OBJECT
public:
    explicit InsightPanel(QWidget* parent = nullptr);

    void setReport(std::shared_ptr<const TestReport> report);
    void setNetwork(std::shared_ptr<const Network> network);
    void setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input);

    QTabWidget* tabs() const { return tabs_; }
    ConfusionView* confusion() const { return confusion_; }
    MistakesGallery* mistakes() const { return mistakes_; }
    WeightsView* weights() const { return weights_; }
    DrawingInsideView* drawing() const { return drawing_; }

private:
    QTabWidget* tabs_;
    ConfusionView* confusion_;
    MistakesGallery* mistakes_;
    WeightsView* weights_;
    DrawingInsideView* drawing_;
};

}  // namespace digitpad

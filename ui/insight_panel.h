// Inside the network: the test set's confusion matrix, the digits it gets wrong and the first
// layer's weights, as tabs of one dock beside the training panel. The matrix and the mistakes
// follow each epoch's test report; the weights follow the model as it learns. Clicking a cell of
// the matrix shows its digits in the gallery.
#pragma once

#include "training_worker.h"

#include <QWidget>

#include <memory>

class QTabWidget;

namespace digitpad {

class ConfusionView;
class MistakesGallery;
class WeightsView;

class InsightPanel : public QWidget {
    Q_OBJECT
public:
    explicit InsightPanel(QWidget* parent = nullptr);

    void setReport(std::shared_ptr<const TestReport> report);
    void setNetwork(std::shared_ptr<const Network> network);

    QTabWidget* tabs() const { return tabs_; }
    ConfusionView* confusion() const { return confusion_; }
    MistakesGallery* mistakes() const { return mistakes_; }
    WeightsView* weights() const { return weights_; }

private:
    QTabWidget* tabs_;
    ConfusionView* confusion_;
    MistakesGallery* mistakes_;
    WeightsView* weights_;
};

}  // namespace digitpad

// Inside the network: the test set's confusion matrix, the digits it gets wrong, the first
// layer's weights and the person's own drawing inside the network, as tabs of one dock beside
// the training panel. The matrix and the mistakes follow each epoch's test report; the weights
// follow the model as it learns; the drawing follows the canvas. Clicking a cell of the matrix
// shows its digits in the gallery. Outside training, "Test the model on" fills the matrix and the
// gallery for the model in use, on the test scans or on drawings.
#pragma once

#include "preprocess.h"
#include "stroke_file.h"
#include "training_worker.h"

#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QLabel;
class QPushButton;
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
    // The model in use on the test part of the MNIST files in `dataFolder` (the training
    // panel's; with none, a folder dialog asks for one), on the labelled drawings of a stroke
    // file, or on My drawings (each rendered as the canvas renders it), read and evaluated on
    // another thread; the matrix and the gallery follow, and the line under them says how it
    // did or why it could not.
    void testModel(const QString& dataFolder);
    void testDrawings(const QString& strokeFile);
    void testMyDrawings(const std::vector<StrokeRecord>& drawings);
    bool isTesting() const { return testing_; }

signals:
    // Test Set or My Drawings was clicked: the window answers with testModel(its data folder)
    // or testMyDrawings(the person's drawings).
    void testRequested();
    void myDrawingsRequested();
    // Asked for a data folder (there was none), the person chose one that holds MNIST.
    void dataFolderChosen(const QString& dir);

public:
    void setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input);

    QTabWidget* tabs() const { return tabs_; }
    ConfusionView* confusion() const { return confusion_; }
    MistakesGallery* mistakes() const { return mistakes_; }
    WeightsView* weights() const { return weights_; }
    DrawingInsideView* drawing() const { return drawing_; }

private:
    void setTesting(bool on);
    void chooseDataFolder();
    void test(std::function<Dataset()> load);  // the model in use on what `load` reads (throws with a message)

    QTabWidget* tabs_;
    ConfusionView* confusion_;
    MistakesGallery* mistakes_;
    WeightsView* weights_;
    DrawingInsideView* drawing_;
    QPushButton* testButton_;
    QPushButton* fileButton_;
    QPushButton* mineButton_;
    QLabel* testStatus_;
    std::shared_ptr<const Network> network_;  // the model in use, which Test the Model tests
    bool testing_ = false;
    // One thread of the panel's own for the tests: on Qt's global pool they would hold up the
    // raster paint engine, which fills on that pool and waits for it (docs/architecture.md).
    QThreadPool testThread_;
};

}  // namespace digitpad

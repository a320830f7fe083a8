#include "insight_panel.h"

#include "confusion_view.h"
#include "drawing_inside_view.h"
#include "mistakes_gallery.h"
#include "weights_view.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace digitpad {

InsightPanel::InsightPanel(QWidget* parent)
    : QWidget(parent),
      tabs_(new QTabWidget),
      confusion_(new ConfusionView),
      mistakes_(new MistakesGallery),
      weights_(new WeightsView),
      drawing_(new DrawingInsideView) {
    tabs_->addTab(confusion_, tr("&Confusion"));
    tabs_->addTab(mistakes_, tr("&Mistakes"));
    tabs_->addTab(weights_, tr("&Weights"));
    tabs_->addTab(drawing_, tr("&Your Drawing"));
    tabs_->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);
    connect(confusion_, &ConfusionView::cellClicked, this, [this](int label, int answer) {
        mistakes_->showCell(std::pair{label, answer});
        tabs_->setCurrentWidget(mistakes_);
    });
}

void InsightPanel::setReport(std::shared_ptr<const TestReport> report) {
    confusion_->setEvaluation(report ? std::optional(report->evaluation) : std::nullopt,
                              report ? tr("Epoch %1").arg(report->epoch) : QString());
    mistakes_->setReport(std::move(report));
}

void InsightPanel::setNetwork(std::shared_ptr<const Network> network) { weights_->setNetwork(std::move(network)); }

void InsightPanel::setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input) {
    drawing_->setDrawing(std::move(network), input);
}

}  // namespace digitpad

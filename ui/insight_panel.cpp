#include "insight_panel.h"

#include "confusion_view.h"
#include "drawing_inside_view.h"
#include "mistakes_gallery.h"
#include "recent_models.h"
#include "stroke_dataset.h"
#include "weights_view.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace digitpad {

InsightPanel::InsightPanel(QWidget* parent)
    : QWidget(parent),
      tabs_(new QTabWidget),
      confusion_(new ConfusionView),
      mistakes_(new MistakesGallery),
      weights_(new WeightsView),
      drawing_(new DrawingInsideView),
      testButton_(new QPushButton(tr("Test &Set"))),
      fileButton_(new QPushButton(tr("&Drawings File…"))),
      mineButton_(new QPushButton(tr("My D&rawings"))),
      testStatus_(new QLabel) {
    tabs_->addTab(confusion_, tr("&Confusion"));
    tabs_->addTab(mistakes_, tr("&Mistakes"));
    tabs_->addTab(weights_, tr("&Weights"));
    tabs_->addTab(drawing_, tr("&Your Drawing"));
    tabs_->setDocumentMode(true);
    testButton_->setToolTip(tr("The confusion matrix and the mistakes of the model in use, on the test digits of "
                               "the training panel's data folder (asked for where there is none)"));
    fileButton_->setToolTip(tr("The same for the labelled drawings of a JSON Lines file (the --classify-strokes "
                               "format), each drawn as the canvas draws it"));
    mineButton_->setToolTip(tr("The same for My drawings"));
    testStatus_->setWordWrap(true);
    testStatus_->setObjectName("testStatus");
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(new QLabel(tr("Test the model on:")));
    for (QPushButton* b : {testButton_, fileButton_, mineButton_}) testRow->addWidget(b);
    testRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);  // off the window's edge, as the other panels are
    layout->addWidget(tabs_, 1);
    layout->addWidget(testStatus_);  // above the buttons, which stay where they were clicked
    layout->addLayout(testRow);
    testThread_.setMaxThreadCount(1);
    connect(testButton_, &QPushButton::clicked, this, &InsightPanel::testRequested);
    connect(mineButton_, &QPushButton::clicked, this, &InsightPanel::myDrawingsRequested);
    connect(fileButton_, &QPushButton::clicked, this, [this] {
        auto* dialog = new QFileDialog(this, tr("Test the Model on a Drawings File"), RecentModels::startFolder(),
                                       tr(kStrokeFileFilter));
        dialog->setObjectName("drawingsDialog");
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, this, &InsightPanel::testDrawings);
        dialog->open();
    });
    connect(confusion_, &ConfusionView::cellClicked, this, [this](int label, int answer) {
        mistakes_->showCell(std::pair{label, answer});
        tabs_->setCurrentWidget(mistakes_);
    });
}

void InsightPanel::setReport(std::shared_ptr<const TestReport> report) {
    confusion_->setEvaluation(report ? std::optional(report->evaluation) : std::nullopt,
                              report ? report->title() : QString());
    mistakes_->setReport(std::move(report));
}

void InsightPanel::setNetwork(std::shared_ptr<const Network> network) {
    network_ = network;
    weights_->setNetwork(std::move(network));
}

void InsightPanel::setTesting(bool on) {
    testing_ = on;
    for (QPushButton* b : {testButton_, fileButton_, mineButton_}) b->setEnabled(!on);
}

void InsightPanel::testModel(const QString& dataFolder) {
    if (dataFolder.isEmpty()) {
        chooseDataFolder();
        return;
    }
    test([dir = dataFolder] { return load_mnist(dir.toStdString(), MnistPart::test); });
}

// No data folder yet: the person picks one here rather than going to look for the training
// panel's; a folder that holds MNIST becomes the training panel's too.
void InsightPanel::chooseDataFolder() {
    testStatus_->setText(tr("Choose a data folder: one with MNIST's test files."));
    auto* dialog = new QFileDialog(this, tr("Folder with the MNIST IDX Files"), RecentModels::startFolder());
    dialog->setObjectName("dataFolderDialog");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& dir) {
        if (has_mnist(dir.toStdString())) emit dataFolderChosen(dir);
        testModel(dir);
    });
    dialog->open();
}

void InsightPanel::testDrawings(const QString& strokeFile) {
    test([path = strokeFile] { return render_stroke_file(path); });
}

void InsightPanel::testMyDrawings(const std::vector<StrokeRecord>& drawings) {
    if (drawings.empty()) {
        testStatus_->setText(tr("My drawings is empty: label a drawing first (click its digit under the confidences)."));
        return;
    }
    test([drawings] { return render_drawings(drawings, tr("my drawings").toStdString()); });
}

void InsightPanel::test(std::function<Dataset()> load) {
    if (testing_) return;
    if (!network_ || network_->input_size() != static_cast<int>(kImagePixels) || network_->output_size() != kClasses) {
        testStatus_->setText(tr("No model of 784 inputs and 10 classes to test."));
        return;
    }
    setTesting(true);
    testStatus_->setText(tr("Testing…"));
    using Outcome = std::pair<std::shared_ptr<const TestReport>, QString>;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        const auto [report, problem] = watcher->result();
        watcher->deleteLater();
        setTesting(false);
        if (!report) {
            testStatus_->setText(problem);
            return;
        }
        setReport(report);
        testStatus_->setText(tr("The model in use on %1: %2% of %3 digits right.")
                                 .arg(QString::fromStdString(report->digits->name))
                                 .arg(100.0 * report->evaluation.accuracy, 0, 'f', 2)
                                 .arg(QLocale().toString(static_cast<qulonglong>(report->evaluation.samples))));
    });
    watcher->setFuture(QtConcurrent::run(&testThread_, [network = network_, load = std::move(load)]() -> Outcome {
        try {
            auto digits = std::make_shared<const Dataset>(load());
            return {std::make_shared<const TestReport>(TestReport{0, evaluate(*network, *digits), digits, network}), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

void InsightPanel::setDrawing(std::shared_ptr<const Network> network, const std::optional<DigitImage>& input) {
    drawing_->setDrawing(std::move(network), input);
}

}  // namespace digitpad

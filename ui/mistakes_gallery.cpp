#include "mistakes_gallery.h"

#include "confidence_view.h"
#include "count_of.h"
#include "digit_preview.h"
#include "drawing_classifier.h"
#include "grey_image.h"
#include "thumbnail_list.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace digitpad {

namespace {

constexpr int kThumbnail = 56;  // two screen pixels a network pixel

DigitImage digit_of(const Dataset& digits, std::uint32_t index) {
    DigitImage d{};
    const auto bytes = digits.image(index);
    std::transform(bytes.begin(), bytes.end(), d.begin(), [](std::uint8_t v) { return v / 255.0f; });
    return d;
}

}  // namespace

MistakesGallery::MistakesGallery(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel),
      showAll_(new QPushButton(tr("Show &All"))),
      orderBox_(new QComboBox),
      list_(new QListWidget),
      large_(new DigitPreview),
      probabilities_(new ConfidenceView) {
    summary_->setWordWrap(true);
    summary_->setObjectName("mistakesSummary");
    showAll_->setToolTip(tr("Every mistake, not only one cell of the confusion matrix"));
    orderBox_->addItems({tr("In test order"), tr("Most sure first"), tr("Least sure first")});
    orderBox_->setToolTip(tr("Newest (while training): wrong now and right at the epoch before. Sure: the network's "
                             "confidence in its answer."));
    list_->setObjectName("mistakesList");
    list_->setAccessibleName(tr("Mistakes"));
    show_as_thumbnails(list_, kThumbnail, {20, 34});
    probabilities_->setToolTip(tr("The ten probabilities the network gives this digit"));
    probabilities_->setCursor(Qt::ArrowCursor);
    large_->hide();
    probabilities_->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(summary_, 1);
    top->addWidget(orderBox_);
    top->addWidget(showAll_);
    auto* detail = new QHBoxLayout;
    detail->addWidget(large_);
    detail->addWidget(probabilities_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(list_, 1);
    layout->addLayout(detail);

    connect(showAll_, &QPushButton::clicked, this, [this] { showCell(std::nullopt); });
    connect(orderBox_, &QComboBox::currentIndexChanged, this, [this](int k) { setOrder(static_cast<Order>(k)); });
    connect(list_, &QListWidget::currentRowChanged, this, &MistakesGallery::open);
    rebuild();
}

void MistakesGallery::setReport(std::shared_ptr<const TestReport> report) {
    wrongBefore_.clear();
    const bool after = report_ && report && report_->digits == report->digits;
    if (after)
        for (const Mistake& m : report_->evaluation.mistakes) wrongBefore_.insert(m.index);
    // With no report before on the same digits nothing is newer than the rest: the first order
    // is then the test set's own.
    orderBox_->setItemText(static_cast<int>(Order::newest), after ? tr("Newest first") : tr("In test order"));
    report_ = std::move(report);
    rebuild();
}

void MistakesGallery::showCell(std::optional<std::pair<int, int>> cell) {
    cell_ = cell;
    rebuild();
}

void MistakesGallery::setOrder(Order order) {
    order_ = order;
    if (orderBox_->currentIndex() != static_cast<int>(order)) orderBox_->setCurrentIndex(static_cast<int>(order));
    rebuild();
}

const std::vector<Mistake>& MistakesGallery::shown() {
    rebuildIfStale();
    return shown_;
}

QListWidget* MistakesGallery::list() {
    rebuildIfStale();
    return list_;
}

void MistakesGallery::showEvent(QShowEvent*) { rebuildIfStale(); }

void MistakesGallery::rebuild() {
    stale_ = true;
    if (isVisible()) rebuildIfStale();  // hidden, an epoch's report costs nothing
}

void MistakesGallery::rebuildIfStale() {
    if (!stale_) return;
    stale_ = false;
    shown_.clear();
    opened_.reset();
    list_->clear();
    large_->hide();
    probabilities_->hide();
    showAll_->setEnabled(cell_.has_value());
    if (!report_) {
        summary_->setText(tr("The digits of the test set the network gets wrong appear here after the first epoch."));
        return;
    }
    for (const Mistake& m : report_->evaluation.mistakes)
        if (!cell_ || (m.label == cell_->first && m.answer == cell_->second)) shown_.push_back(m);
    const std::size_t matching = shown_.size();
    auto is_new = [&](const Mistake& m) { return wrongBefore_.count(m.index) == 0; };
    switch (order_) {
    case Order::newest:
        std::stable_partition(shown_.begin(), shown_.end(), is_new);
        break;
    case Order::most_sure:
        std::stable_sort(shown_.begin(), shown_.end(), [](const Mistake& a, const Mistake& b) { return a.confidence > b.confidence; });
        break;
    case Order::least_sure:
        std::stable_sort(shown_.begin(), shown_.end(), [](const Mistake& a, const Mistake& b) { return a.confidence < b.confidence; });
        break;
    }
    if (shown_.size() > static_cast<std::size_t>(kShown)) shown_.resize(kShown);
    const QString which = cell_ ? tr("%1 read as %2").arg(cell_->first).arg(cell_->second) : tr("all digits");
    QString text = tr("%1: %2, %3").arg(report_->title(), count_of(matching, tr("mistake"), tr("mistakes")), which);
    if (matching > shown_.size()) text += tr(" (the first %1 shown)").arg(shown_.size());
    summary_->setText(text);
    for (const Mistake& m : shown_) {
        const QImage image = image_from_digit(digit_of(*report_->digits, m.index));
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(kThumbnail, kThumbnail))),
                                         tr("%1 → %2\n%3%").arg(m.label).arg(m.answer).arg(100.0 * m.confidence, 0, 'f', 0));
        item->setToolTip(tr("Digit %1: a %2, read as %3 (%4% sure)%5")
                             .arg(m.index)
                             .arg(m.label)
                             .arg(m.answer)
                             .arg(100.0 * m.confidence, 0, 'f', 1)
                             .arg(is_new(m) && !wrongBefore_.empty() ? tr("; new this epoch") : QString()));
        list_->addItem(item);
    }
}

void MistakesGallery::open(int row) {
    if (!report_ || row < 0 || row >= static_cast<int>(shown_.size())) return;
    opened_ = shown_[static_cast<std::size_t>(row)];
    const DigitImage digit = digit_of(*report_->digits, opened_->index);
    large_->setDigit(digit);
    probabilities_->setProbabilities(predict_digit(*report_->network, digit));
    large_->show();
    probabilities_->show();
}

}  // namespace digitpad

// The test digits the network reads wrong, as thumbnails marked "label → answer" with the
// network's confidence in its answer: all of them, or one cell of the confusion matrix; newest
// mistakes first (wrong now, right at the epoch before; with no report before, in test order),
// or by confidence. Clicking one shows it
// large beside the ten probabilities the network gives it.
#pragma once

#include "training_worker.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <unordered_set>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace digitpad {

class ConfidenceView;
class DigitPreview;

class MistakesGallery : public QWidget {
    Q_OBJECT
public:
    enum class Order { newest, most_sure, least_sure };
    static constexpr int kShown = 400;  // thumbnails at most: building more would stall the UI

    explicit MistakesGallery(QWidget* parent = nullptr);

    // The newest test report (the one before it tells which mistakes are new).
    void setReport(std::shared_ptr<const TestReport> report);
    // Only the digits `label` read as `answer`; nullopt: every mistake.
    void showCell(std::optional<std::pair<int, int>> cell);
    void setOrder(Order order);

    // What the gallery shows, in order (the test set's indices), and the digit opened large.
    // The thumbnails are made while the gallery is visible, or when these ask for them.
    const std::vector<Mistake>& shown();
    std::optional<Mistake> opened() const { return opened_; }
    QListWidget* list();
    ConfidenceView* probabilities() const { return probabilities_; }

protected:
    void showEvent(QShowEvent*) override;

private:
    void rebuild();          // now if visible, else when next shown
    void rebuildIfStale();
    void open(int row);

    std::shared_ptr<const TestReport> report_;
    std::unordered_set<std::uint32_t> wrongBefore_;  // the previous report's mistakes
    std::optional<std::pair<int, int>> cell_;
    Order order_ = Order::newest;
    std::vector<Mistake> shown_;
    bool stale_ = true;
    std::optional<Mistake> opened_;

    QLabel* summary_;
    QPushButton* showAll_;
    QComboBox* orderBox_;
    QListWidget* list_;
    DigitPreview* large_;
    ConfidenceView* probabilities_;
};

}  // namespace digitpad

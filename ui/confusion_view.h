// The confusion matrix of a test: a 10×10 heat map, one row per true digit and one column per
// answer, with the counts, and each digit's accuracy at the end of its row. Right answers (the
// diagonal) are shaded green by the share of their row, mistakes red by their count against the
// largest mistake. Clicking a cell asks for those digits (the mistakes gallery lists them); from
// the keyboard, the arrows move the current cell (framed) and Enter or Space asks for it.
#pragma once

#include "evaluation.h"

#include <QWidget>

#include <optional>

namespace digitpad {

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionView(QWidget* parent = nullptr);

    // The matrix to show and what it is of ("Epoch 3"); nullopt: nothing tested yet.
    void setEvaluation(const std::optional<Evaluation>& evaluation, const QString& title);
    const std::optional<Evaluation>& evaluation() const { return evaluation_; }

    // Where the cell of `label` read as `answer` is drawn, and the cell under a point (nullopt:
    // none).
    QRect cellRect(int label, int answer) const;
    std::optional<std::pair<int, int>> cellAt(QPoint pos) const;
    std::pair<int, int> currentCell() const { return current_; }

    QSize sizeHint() const override { return {420, 380}; }
    QSize minimumSizeHint() const override { return {260, 240}; }

signals:
    void cellClicked(int label, int answer);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void keyPressEvent(QKeyEvent*) override;

private:
    // The grid: its top-left corner and one cell's side, fitted to the widget.
    QRect grid() const;
    int cell() const;

    std::optional<Evaluation> evaluation_;
    QString title_;
    std::pair<int, int> current_{0, 0};  // the keyboard's cell: label, answer
};

}  // namespace digitpad

// Ten horizontal bars, one per digit, with the probability in percent; the winner highlighted.
// Clicking a bar says which digit the drawing really is.
#pragma once

#include "probabilities.h"

#include <QWidget>

#include <optional>

namespace digitpad {

class ConfidenceView : public QWidget {
    Q_OBJECT
public:
    explicit ConfidenceView(QWidget* parent = nullptr);

    // nullopt: nothing to classify; the view shows a hint instead of a guess.
    void setProbabilities(const std::optional<Probabilities>& probabilities);
    const std::optional<Probabilities>& probabilities() const { return probabilities_; }
    int winner() const;  // -1 when there is no guess

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    int digitAt(QPoint pos) const;  // the row under a point of the widget

signals:
    void probabilitiesChanged();
    // A bar was clicked: the person says the drawing is this digit.
    void digitClicked(int digit);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;

private:
    std::optional<Probabilities> probabilities_;
};

}  // namespace digitpad

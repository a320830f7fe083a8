// My drawings: the person's labelled drawings as thumbnails grouped by digit, each marked
// with what the current model reads; Teach Now, Revert, Delete, Clear All, Import, Export;
// the teach's progress and what it did to the person's accuracy and to everyone else's.
#pragma once

#include "my_drawings.h"
#include "teacher.h"

#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace digitpad {

class MyDrawingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MyDrawingsPanel(QWidget* parent = nullptr);

    // Reads the person's drawings (MyDrawings::load); a message when the file was damaged.
    QString load(const QString& path = MyDrawings::defaultPath());
    const MyDrawings& drawings() const { return drawings_; }
    Teacher* teacher() { return &teacher_; }
    QListWidget* list() const { return list_; }

    // The model to read the thumbnails with, and the one teaching starts from (the model the
    // person chose: never an earlier teach, so that the same drawings are not taught twice).
    void setCurrentModel(std::shared_ptr<const Network> network);
    void setTeachingBase(std::shared_ptr<const Network> network);
    void setRevertible(bool revertible);  // the current model was taught: Revert goes back
    void setTeachingAllowed(bool allowed);  // not while training runs

    // Adds a labelled drawing (saved at once); teaches afterwards when `teachNow`. False, with
    // the reason in a message box, when it could not be saved.
    bool add(const StrokeRecord& drawing, bool teachNow);
    // Adds the labelled drawings of a stroke file (Import…, or the file dropped on the window);
    // the message says how many, and why lines were skipped.
    void importDrawings(const QString& path);

public slots:
    void teachNow();

signals:
    void taught(std::shared_ptr<const digitpad::Network> network, std::size_t drawings);
    void revertRequested();
    void message(const QString& text);  // for the status bar

private:
    void rebuild();        // the thumbnails, from drawings_
    void readAnswers();    // what the current model reads of each, some at a time
    void onTaught(const TeachReport& report);
    void onMeasured(const HeldOut& heldOut);
    void updateButtons();
    bool apply(const std::function<void()>& change, const QString& what);
    void askToDelete(std::vector<std::size_t> chosen);  // none chosen: all of them (Clear All)
    bool teachOutdated() const;  // the last teach's base is no longer the chosen model, or training began

    MyDrawings drawings_;
    Teacher teacher_;
    std::shared_ptr<const Network> current_, base_;
    std::shared_ptr<const Network> teachingFrom_;  // the base of the teach last started
    QListWidget* list_;
    QLabel* summary_;
    QLabel* result_;
    QProgressBar* progress_;
    QPushButton *teach_, *revert_, *remove_, *clear_, *import_, *export_;
    bool allowed_ = true, revertible_ = false, teachAgain_ = false;
    int generation_ = 0;       // of the answers being read; a newer model or list starts afresh
    std::size_t answered_ = 0;
};

}  // namespace digitpad

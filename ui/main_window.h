// The main window: canvas in the centre, the network's confidences and input beside it,
// menus for models and editing, the model's identity in the status bar.
#pragma once

#include "current_model.h"
#include "drawing_classifier.h"
#include "familiarity_thread.h"
#include "model_file.h"
#include "training_worker.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QToolButton;

namespace digitpad {

class ConfidenceView;
class DigitPreview;
class DrawingCanvas;
class InsightPanel;
class MyDrawingsPanel;
class RecentModels;
class TrainingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a model file; on failure the current model stays, a message names the file and
    // the reason, and false is returned (lastError() holds the message).
    bool openModel(const QString& path);
    bool saveModel(const QString& path);
    void setModel(std::shared_ptr<const Network> network, const ModelInfo& info, const QString& name);
    void useBuiltInModel();  // File ▸ Use Built-in Model
    // A picture of a digit (dropped on the window): its network input shown in the preview
    // and classified, until the person draws again. False, with a message, when unreadable.
    bool classifyPicture(const QString& path);
    // What Save As (suffix dpm) and Export ▸ ONNX (onnx) offer: the file the model came from
    // with that suffix, or digitpad-YYYY-MM-DD.<suffix> in the folder a model was last opened
    // from or saved to (Documents at first). A name ending in .onnx is saved as ONNX.
    QString suggestedSavePath(const QString& suffix = QStringLiteral("dpm")) const;
    // A trained model not yet saved, or training in progress: closing asks first (Save, Quit
    // Without Saving or Stop and Quit, Cancel), in a window-modal question that does not block.
    bool hasUnsavedWork() const;

    std::shared_ptr<const Network> network() const { return model_.reading(); }
    const ModelInfo& modelInfo() const { return model_.model().info; }
    const QString& modelName() const { return model_.model().name; }
    const QString& lastError() const { return lastError_; }

    DrawingCanvas* canvas() const { return canvas_; }
    ConfidenceView* confidences() const { return confidences_; }
    DigitPreview* preview() const { return preview_; }
    TrainingPanel* trainingPanel() const { return training_; }
    MyDrawingsPanel* myDrawings() const { return myDrawings_; }
    InsightPanel* insight() const { return insight_; }

    // The person says the drawing on the canvas is `digit` (a bar clicked, a key typed): it
    // joins My drawings, and when the network read it otherwise, it is taught at once.
    void learnDigit(int digit);

protected:
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;
    void closeEvent(QCloseEvent*) override;

private slots:
    void scheduleClassification();
    void classifyNow();
    void chooseModelToOpen();
    void chooseWhereToSave();
    void chooseWhereToExportOnnx();
    void onTrainingStarted();
    void onSnapshot(std::shared_ptr<const digitpad::Network> network);
    void onTrainingEnded(digitpad::TrainingEnd end, std::shared_ptr<const digitpad::Network> network,
                         const digitpad::ModelInfo& info, const QString& message);
    void revertTraining();
    void onTaught(std::shared_ptr<const digitpad::Network> network, std::size_t drawings);
    void revertTeaching();

private:
    void createDocks();  // the training panel, My drawings and Inside the network, tabbed at the right
    void layOut();
    void createActions();  // the menus (main_window_actions.cpp), each in its own function:
    void createFileMenu();
    // A file dialog offering suggestedSavePath(suffix); saveModel on the chosen file, then
    // `afterSaving` when it saved.
    void askWhereToSave(const QString& title, const QString& suffix, const QString& filter,
                        std::function<void()> afterSaving);
    void createEditMenu();
    void createTrainingMenu();
    void createHelpMenu();
    void showError(const QString& title, const QString& text);
    void updateStatus();  // window title and status bar, from the model and its name
    void restoreLayout();
    void askBeforeClosing();
    // Another model is to replace the current one (opened, dropped, the built-in one): where the
    // current one was trained or taught here and not saved, first ask whether to save it; while
    // training runs, not at all (a message says so).
    void replaceModel(const QString& title, std::function<void()> replace);
    // Save (then go on), `goOnText` (go on without saving) or Cancel; not exec(): the window,
    // and a test driving it, keeps running while the question shows.
    void askToSaveFirst(const char* name, const QString& title, const QString& what, const QString& why,
                        const QString& goOnText, bool canSave, std::function<void()> goOn);
    QString unsavedModel() const;  // "The trained model is not saved." or the taught one

    DrawingCanvas* canvas_;
    ConfidenceView* confidences_;
    DigitPreview* preview_;
    QLabel* prediction_;
    QLabel* modelLabel_;
    TrainingPanel* training_;
    MyDrawingsPanel* myDrawings_;
    InsightPanel* insight_;
    QDockWidget* trainingDock_ = nullptr;
    QDockWidget* myDrawingsDock_ = nullptr;
    QDockWidget* insightDock_ = nullptr;
    QToolButton* trainButton_ = nullptr;
    RecentModels* recent_ = nullptr;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;

    CurrentModel model_;
    Familiarity familiarity_;  // the current model's line between digits and the rest
    FamiliarityThread familiarityThread_;  // where the line is drawn
    QString lastError_;
    bool closeConfirmed_ = false;  // the person chose to quit without saving
    void modelChanged();           // the title, My drawings, the canvas's answer and its line follow
    void drawFamiliarityLine();    // for the current model, on another thread
    bool classificationPending_ = false;
    std::optional<DigitImage> picture_;  // a dropped picture being read instead of the canvas
};

}  // namespace digitpad

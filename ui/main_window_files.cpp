// MainWindow and files: models opened, saved and suggested; pictures and drawings dropped on the
// window; and the question before work unsaved is lost, by quitting or by another model
// (main_window.h).
#include "main_window.h"

#include "atomic_file.h"
#include "digit_preview.h"
#include "drawing_canvas.h"
#include "grey_image.h"
#include "model_io.h"
#include "my_drawings_panel.h"
#include "recent_models.h"
#include "training_panel.h"

#include <QCloseEvent>
#include <QDate>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

namespace digitpad {
namespace {

const char* const kCloseQuestion = "closeQuestion";      // the object names of "Quit DigitPad?"
const char* const kReplaceQuestion = "replaceQuestion";  // and of the question before another model replaces one
const char* const kSaveDialog = "saveDialog";            // of Save As and Export's file dialog
const char* const kModelFilter = "DigitPad models (*.dpm);;All files (*)";
const char* const kOpenFilter = "Models (*.dpm *.onnx);;DigitPad models (*.dpm);;ONNX models (*.onnx);;All files (*)";
const char* const kOnnxFilter = "ONNX models (*.onnx);;All files (*)";

}  // namespace

bool MainWindow::openModel(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    try {
        Model model = read_model(path);
        const bool file = !path.startsWith(':');
        model_.choose({std::make_shared<const Network>(std::move(model.network)), model.info, name,
                       file ? QFileInfo(path).absoluteFilePath() : QString(), false});
        modelChanged();
        if (file) recent_->remember(QFileInfo(path).absoluteFilePath());
        lastError_.clear();
        statusBar()->showMessage(tr("Loaded %1").arg(name), 4000);
        return true;
    } catch (const std::exception& e) {
        lastError_ = tr("Could not open the model “%1”: %2").arg(QFileInfo(path).absoluteFilePath(), e.what());
        showError(tr("Open Model"), lastError_ + tr("\n\nThe current model is still in use."));
        return false;
    }
}

bool MainWindow::saveModel(const QString& path) {
    const ModelState& m = model_.model();
    if (!m.network) return false;
    try {
        ModelInfo info = m.info;
        if (info.created.empty()) info.created = now_iso8601();
        write_model(path, *m.network, info);  // ONNX too keeps every weight and the metadata
        model_.saved(QFileInfo(path).absoluteFilePath(), QFileInfo(path).fileName());
        updateStatus();
        recent_->remember(QFileInfo(path).absoluteFilePath());
        lastError_.clear();
        // An ONNX graph starts at the first layer: a reader must deskew as the model does.
        if (is_onnx_path(path) && m.network->deskew() > 0)
            statusBar()->showMessage(tr("Saved %1; its graph does not deskew: deskew each first by %2% of its slant")
                                         .arg(QFileInfo(path).fileName())
                                         .arg(100 * m.network->deskew(), 0, 'f', 0),
                                     12000);
        else
            statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
        return true;
    } catch (const std::exception& e) {
        lastError_ = tr("Could not save the model to “%1”: %2").arg(path, e.what());
        showError(tr("Save Model"), lastError_);
        return false;
    }
}

void MainWindow::showError(const QString& title, const QString& text) {
    // Not exec(): the window (and any test driving it) keeps running while the message shows.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::useBuiltInModel() {
    const Model m = read_model(kDefaultModelPath);  // part of the program: cannot be damaged by a user
    setModel(std::make_shared<const Network>(m.network), m.info, tr("Built-in model"));
    statusBar()->showMessage(tr("Using the built-in model"), 4000);
}

QString MainWindow::suggestedSavePath(const QString& suffix) const {
    const QString current = model_.model().path;
    if (!current.isEmpty()) {
        const QFileInfo file(current);
        return file.dir().filePath(file.completeBaseName() + '.' + suffix);
    }
    return QDir(RecentModels::startFolder()).filePath(QString("digitpad-%1.%2").arg(QDate::currentDate().toString(Qt::ISODate), suffix));
}

void MainWindow::chooseModelToOpen() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), RecentModels::startFolder(), tr(kOpenFilter));
    if (!path.isEmpty()) replaceModel(tr("Open Model"), [this, path] { openModel(path); });
}

void MainWindow::chooseWhereToSave() { askWhereToSave(tr("Save Model As"), "dpm", tr(kModelFilter), [] {}); }

void MainWindow::chooseWhereToExportOnnx() { askWhereToSave(tr("Export as ONNX"), "onnx", tr(kOnnxFilter), [] {}); }

void MainWindow::askWhereToSave(const QString& title, const QString& suffix, const QString& filter,
                                std::function<void()> afterSaving) {
    // While a run trains, the model the window names is the one from before it, not the network
    // the canvas reads: Stop keeps that one as the model, and then it can be saved.
    if (training_->isTraining()) {
        statusBar()->showMessage(tr("Training is in progress: Stop keeps its model, which can then be saved"), 6000);
        return;
    }
    // Not exec(): the window (and any test driving it) keeps running while the dialog shows.
    auto* dialog = new QFileDialog(this, title, suggestedSavePath(suffix), filter);
    dialog->setObjectName(kSaveDialog);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(suffix);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, afterSaving](const QString& path) {
        if (saveModel(path)) afterSaving();
    });
    dialog->open();
}

bool MainWindow::hasUnsavedWork() const { return model_.model().unsaved || training_->isTraining(); }

QString MainWindow::unsavedModel() const {
    return model_.taught() ? tr("The taught model is not saved.") : tr("The trained model is not saved.");
}

void MainWindow::askBeforeClosing() {
    const bool training = training_->isTraining();
    askToSaveFirst(kCloseQuestion, tr("Quit DigitPad"), training ? tr("Training is in progress.") : unsavedModel(),
                   training ? tr("Quitting stops it, and the network trained so far is lost. To keep it, cancel, stop "
                                 "the training and save the model.")
                            : tr("Save it before quitting, or it is lost."),
                   training ? tr("Stop and Quit") : tr("Quit Without Saving"), !training, [this] {
                       closeConfirmed_ = true;
                       close();
                   });
}

void MainWindow::replaceModel(const QString& title, std::function<void()> replace) {
    // While a run trains, the canvas reads its weights and its model becomes the current one
    // at the end: another model opened now would be named in the title and read by nothing.
    if (training_->isTraining()) {
        statusBar()->showMessage(tr("Training is in progress: stop it before choosing another model"), 6000);
        return;
    }
    if (!model_.model().unsaved) {
        replace();
        return;
    }
    askToSaveFirst(kReplaceQuestion, title, unsavedModel(), tr("Save it first, or it is lost."), tr("Discard It"),
                   true, std::move(replace));
}

void MainWindow::askToSaveFirst(const char* name, const QString& title, const QString& what, const QString& why,
                                const QString& goOnText, bool canSave, std::function<void()> goOn) {
    if (findChild<QMessageBox*>(name)) return;  // asked already: the question is open
    auto* box = new QMessageBox(QMessageBox::Question, title, what, QMessageBox::NoButton, this);
    box->setObjectName(name);
    box->setInformativeText(why);
    if (canSave) box->addButton(QMessageBox::Save);
    box->addButton(goOnText, QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, goOn] {
        QAbstractButton* clicked = box->clickedButton();
        if (!clicked || box->buttonRole(clicked) == QMessageBox::RejectRole) return;  // Cancel: keep working
        if (box->buttonRole(clicked) == QMessageBox::DestructiveRole) {
            goOn();
            return;
        }
        // Save: where the person chooses, then go on (a failed save says why and goes no further).
        askWhereToSave(tr("Save Model As"), "dpm", tr(kModelFilter), goOn);
    });
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!closeConfirmed_ && hasUnsavedWork()) {
        e->ignore();
        askBeforeClosing();
        return;
    }
    hide();  // gone at once, even when the batch in flight takes seconds to finish
    training_->shutdown();  // stop after the current batch and join the thread
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls() && e->mimeData()->urls().front().isLocalFile()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    const QList<QUrl> urls = e->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile()) return;
    e->acceptProposedAction();
    const QString path = urls.front().toLocalFile();
    // A picture (PNG, JPEG, …) is classified like `digitpad-cli predict` does; a stroke file
    // (.jsonl, as My drawings exports) joins My drawings; anything else is taken for a model file.
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "jsonl") {
        myDrawings_->importDrawings(path);
        myDrawingsDock_->show();
        myDrawingsDock_->raise();
    } else if (!QImageReader::imageFormat(path).isEmpty() && suffix != "dpm") {
        classifyPicture(path);
    } else {
        replaceModel(tr("Open Model"), [this, path] { openModel(path); });
    }
}

bool MainWindow::classifyPicture(const QString& path) {
    const QImage image(path);
    if (image.isNull()) {
        lastError_ = tr("Could not read the picture “%1”.").arg(path);
        showError(tr("Open Picture"), lastError_);
        return false;
    }
    const auto input = network_input_from_image(image);
    if (!input) {
        statusBar()->showMessage(tr("%1 is blank: there is no digit to read").arg(QFileInfo(path).fileName()), 6000);
        return false;
    }
    canvas_->clear();
    picture_ = input;
    classifyNow();
    statusBar()->showMessage(tr("Reading the picture %1 (draw to go back to the canvas)").arg(QFileInfo(path).fileName()), 8000);
    return true;
}

}  // namespace digitpad

#include "my_drawings_panel.h"

#include "count_of.h"
#include "drawing_classifier.h"
#include "recent_models.h"
#include "strokes.h"
#include "thumbnail_list.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace digitpad {
namespace {

constexpr int kThumbnail = 48;
constexpr int kAnswersAtOnce = 4;  // drawings read per pass of the event loop (~1 ms; 3 while teaching)

QPushButton* button(const QString& text, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setToolTip(tip);
    return b;
}

}  // namespace

// The thumbnails, the buttons, the accuracy line and the teacher's signals, built top to bottom
// as they show (about 100 lines, a statement a setting).
MyDrawingsPanel::MyDrawingsPanel(QWidget* parent)
    : QWidget(parent),
      list_(new QListWidget),
      summary_(new QLabel),
      result_(new QLabel),
      progress_(new QProgressBar),
      teach_(button(tr("Teach &Now"), {})),  // its text and tip: updateButtons()
      revert_(button(tr("Re&vert"), tr("Go back to the model from before teaching"))),
      remove_(button(tr("&Delete"), tr("Delete the selected drawings"))),
      clear_(button(tr("Clear &All…"), tr("Delete all your drawings"))),
      import_(button(tr("&Import…"), tr("Add the labelled drawings of a JSON Lines file"))),
      export_(button(tr("E&xport…"), tr("Save your drawings as a JSON Lines file"))) {
    auto* intro = new QLabel(tr("Drawings you labelled. To add one, draw a digit and click its bar under the "
                                "confidences, or type it; a wrong answer corrected is taught at once."));
    intro->setWordWrap(true);
    list_->setObjectName("myDrawingsList");
    list_->setAccessibleName(tr("My drawings"));
    show_as_thumbnails(list_, kThumbnail, {24, 28});
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setMinimumHeight(kThumbnail * 2 + 40);
    summary_->setObjectName("drawingsSummary");
    summary_->setWordWrap(true);
    result_->setWordWrap(true);
    result_->setObjectName("teachResult");
    progress_->setRange(0, 1000);
    progress_->setFormat(tr("Teaching… %p%"));
    // Its room is kept while hidden, so that the buttons above do not move when a teach starts
    // (Teach Now becomes Stop Teaching under the pointer).
    QSizePolicy keepRoom = progress_->sizePolicy();
    keepRoom.setRetainSizeWhenHidden(true);
    progress_->setSizePolicy(keepRoom);
    progress_->hide();

    auto* teachRow = new QHBoxLayout;
    teachRow->addWidget(teach_);
    teachRow->addWidget(revert_);
    teachRow->addStretch();
    auto* fileRow = new QHBoxLayout;
    for (QPushButton* b : {remove_, clear_, import_, export_}) fileRow->addWidget(b);
    fileRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(list_, 1);
    layout->addWidget(summary_);
    layout->addLayout(fileRow);
    layout->addLayout(teachRow);
    layout->addWidget(progress_);
    layout->addWidget(result_);

    // Teach Now; while a teach runs, Stop Teaching (a few thousand drawings take a minute).
    connect(teach_, &QPushButton::clicked, this, [this] {
        if (!teacher_.isTeaching()) return teachNow();
        teachAgain_ = false;
        teacher_.stop();
    });
    connect(revert_, &QPushButton::clicked, this, &MyDrawingsPanel::revertRequested);
    const auto removeSelected = [this] {
        std::vector<std::size_t> chosen;
        for (const QListWidgetItem* item : list_->selectedItems()) chosen.push_back(item->data(Qt::UserRole).toULongLong());
        if (!chosen.empty()) askToDelete(chosen);
    };
    connect(remove_, &QPushButton::clicked, this, removeSelected);
    // The Delete key on the thumbnails does what the Delete button does.
    auto* deleteKey = new QAction(tr("Delete the selected drawings"), list_);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    list_->addAction(deleteKey);
    connect(deleteKey, &QAction::triggered, this, removeSelected);
    connect(clear_, &QPushButton::clicked, this, [this] { askToDelete({}); });
    connect(import_, &QPushButton::clicked, this, [this] {
        auto* dialog = new QFileDialog(this, tr("Import Drawings"), RecentModels::startFolder(), tr(kStrokeFileFilter));
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &MyDrawingsPanel::importDrawings);
        dialog->open();
    });
    connect(export_, &QPushButton::clicked, this, [this] {
        auto* dialog = new QFileDialog(this, tr("Export Drawings"), QDir(RecentModels::startFolder()).filePath("my-drawings.jsonl"),
                                       tr(kStrokeFileFilter));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix("jsonl");
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
            if (apply([&] { drawings_.exportFile(path); }, tr("Export"))) emit message(tr("Saved your drawings to %1").arg(path));
        });
        dialog->open();
    });
    connect(list_, &QListWidget::itemSelectionChanged, this, &MyDrawingsPanel::updateButtons);
    connect(&teacher_, &Teacher::progress, this, [this](double done) { progress_->setValue(static_cast<int>(1000 * done)); });
    connect(&teacher_, &Teacher::finished, this, &MyDrawingsPanel::onTaught);
    connect(&teacher_, &Teacher::measured, this, &MyDrawingsPanel::onMeasured);
    rebuild();
}

void MyDrawingsPanel::importDrawings(const QString& path) {
    std::size_t added = 0;
    QStringList problems;
    if (!apply([&] { added = drawings_.importFile(path, problems); }, tr("Import"))) return;
    // The first line skipped says why ("7: expected a JSON object"), the count how often.
    const QString why = problems.isEmpty() ? QString() : tr(" (line %1)").arg(problems.front());
    const QString name = QFileInfo(path).fileName();
    if (added == 0)
        emit message(tr("Nothing imported: %1 has no labelled drawings%2").arg(name, why));
    else
        emit message(tr("Imported %1").arg(count_of(added, tr("drawing"), tr("drawings"))) +
                     (problems.isEmpty() ? QString()
                                         : tr("; %1 skipped%2")
                                               .arg(count_of(static_cast<std::size_t>(problems.size()), tr("line"), tr("lines")),
                                                    why)));
}

// What a person drew goes only when they say so: Delete and Clear All ask first.
void MyDrawingsPanel::askToDelete(std::vector<std::size_t> chosen) {
    if (drawings_.isEmpty() || findChild<QMessageBox*>("deleteDrawingsQuestion")) return;
    const bool all = chosen.empty() || chosen.size() == drawings_.size();
    const QString what = all && drawings_.size() == 1 ? tr("Delete your only drawing?")
                         : all                        ? tr("Delete all %1 drawings?").arg(drawings_.size())
                         : chosen.size() == 1         ? tr("Delete this drawing?")
                                                      : tr("Delete these %1 drawings?").arg(chosen.size());
    auto* box = new QMessageBox(QMessageBox::Question, all ? tr("Clear All") : tr("Delete"), what,
                                QMessageBox::NoButton, this);
    box->setObjectName("deleteDrawingsQuestion");
    box->setInformativeText(drawings_.size() == 1 || chosen.size() == 1
                                ? tr("It cannot be brought back. Export your drawings first to keep a copy.")
                                : tr("They cannot be brought back. Export them first to keep a copy."));
    QAbstractButton* yes = box->addButton(all ? tr("Delete All") : tr("Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, chosen, all] {
        if (box->clickedButton() != yes) return;
        if (all)
            apply([&] { drawings_.clear(); }, tr("Clear All"));
        else
            apply([&] { drawings_.remove(chosen); }, tr("Delete"));
    });
    box->open();
}

QString MyDrawingsPanel::load(const QString& path) {
    const QString problem = drawings_.load(path);
    rebuild();
    return problem;
}

void MyDrawingsPanel::setCurrentModel(std::shared_ptr<const Network> network) {
    current_ = std::move(network);
    ++generation_;
    answered_ = 0;
    readAnswers();
}

void MyDrawingsPanel::setTeachingBase(std::shared_ptr<const Network> network) {
    // Another model chosen (opened, built in, trained) while a teach of the old one runs: that
    // teach is of no use now, and must not come back as a teach of the new one.
    if (network != base_ && teacher_.isTeaching()) {
        teacher_.stop();
        teachAgain_ = false;
    }
    base_ = std::move(network);
}

bool MyDrawingsPanel::teachOutdated() const { return teachingFrom_ != base_ || !allowed_; }

void MyDrawingsPanel::setRevertible(bool revertible) {
    revertible_ = revertible;
    updateButtons();
}

void MyDrawingsPanel::setTeachingAllowed(bool allowed) {
    allowed_ = allowed;
    if (!allowed) teacher_.stop();
    updateButtons();
}

bool MyDrawingsPanel::apply(const std::function<void()>& change, const QString& what) {
    try {
        change();
    } catch (const std::exception& e) {
        auto* box = new QMessageBox(QMessageBox::Warning, what, QString::fromStdString(e.what()), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    rebuild();
    return true;
}

bool MyDrawingsPanel::add(const StrokeRecord& drawing, bool teachAfter) {
    if (!apply([&] { drawings_.add(drawing); }, tr("My Drawings"))) return false;
    if (teachAfter) teachNow();
    return true;
}

void MyDrawingsPanel::rebuild() {
    list_->clear();
    const auto& all = drawings_.drawings();
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return *all[a].label < *all[b].label; });
    for (std::size_t i : order) {
        const QImage thumbnail = render_drawing(fit_to_canvas(all[i].strokes), kThumbnail);
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(thumbnail)), QString::number(*all[i].label));
        item->setData(Qt::UserRole, static_cast<qulonglong>(i));
        item->setToolTip(tr("Drawn as a %1").arg(*all[i].label));
        list_->addItem(item);
    }
    ++generation_;
    answered_ = 0;
    readAnswers();
    updateButtons();
}

void MyDrawingsPanel::readAnswers() {
    const auto& all = drawings_.drawings();
    if (!current_) {
        summary_->setText(count_of(all.size(), tr("drawing"), tr("drawings")));
        return;
    }
    const std::size_t end = std::min<std::size_t>(list_->count(), answered_ + kAnswersAtOnce);
    for (; answered_ < end; ++answered_) {
        QListWidgetItem* item = list_->item(static_cast<int>(answered_));
        const StrokeRecord& r = all[item->data(Qt::UserRole).toULongLong()];
        const auto answer = classify(*current_, r.strokes);
        const bool right = answer && answer->digit() == *r.label;
        item->setData(Qt::UserRole + 1, right);
        item->setText(right ? QString::number(*r.label) : tr("%1 ✗ %2").arg(*r.label).arg(answer ? QString::number(answer->digit()) : "?"));
        item->setForeground(right ? palette().color(QPalette::Text) : QColor(200, 30, 30));
        item->setToolTip(answer ? tr("Drawn as a %1; the model reads %2 (%3% sure)")
                                      .arg(*r.label)
                                      .arg(answer->digit())
                                      .arg(100.0 * answer->probabilities[static_cast<std::size_t>(answer->digit())], 0, 'f', 1)
                                : tr("Drawn as a %1; too little ink to read").arg(*r.label));
    }
    if (answered_ < static_cast<std::size_t>(list_->count())) {
        QTimer::singleShot(0, this, [this, generation = generation_] {
            if (generation == generation_) readAnswers();
        });
        summary_->setText(tr("%1; reading them…").arg(count_of(all.size(), tr("drawing"), tr("drawings"))));
        return;
    }
    int right = 0;
    for (int k = 0; k < list_->count(); ++k) right += list_->item(k)->data(Qt::UserRole + 1).toBool();
    if (all.empty())
        summary_->setText(tr("No drawings yet."));
    else if (all.size() == 1)
        summary_->setText(right ? tr("1 drawing; the current model reads it right.")
                                : tr("1 drawing; the current model misreads it."));
    else
        summary_->setText(tr("%1 drawings; the current model reads %2 of them right (%3%).")
                              .arg(all.size())
                              .arg(right)
                              .arg(100.0 * right / static_cast<double>(all.size()), 0, 'f', 0));
}

void MyDrawingsPanel::teachNow() {
    if (drawings_.isEmpty()) {
        emit message(tr("There are no drawings to teach yet: draw a digit and click its bar"));
        return;
    }
    if (!allowed_) {
        emit message(tr("Teaching waits until training has ended"));
        return;
    }
    if (teacher_.isTeaching()) {
        teachAgain_ = true;  // with the drawing just added, once this teach is done
        return;
    }
    if (!teacher_.start(base_, drawings_.drawings())) return;
    teachingFrom_ = base_;
    progress_->setValue(0);
    progress_->show();
    result_->clear();
    updateButtons();
}

void MyDrawingsPanel::onTaught(const TeachReport& report) {
    if (report.network && teachOutdated()) {  // done just as it was stopped: not taken either
        progress_->hide();
        result_->setText(tr("Teaching stopped; the model is as it was."));
    } else if (report.network) {
        emit taught(report.network, report.drawings);
        result_->setText(tr("Taught on %1 in %2 s. On %3 other people's digits: %4% before, %5% after.")
                             .arg(count_of(report.drawings, tr("drawing"), tr("drawings")))
                             .arg(report.seconds, 0, 'f', 1)
                             .arg(QLocale().toString(static_cast<qulonglong>(kRehearsalCheck)))  // 1,000
                             .arg(100 * report.rehearsalBefore, 0, 'f', 1)
                             .arg(100 * report.rehearsalAfter, 0, 'f', 1));
        progress_->setFormat(tr("Measuring on drawings a trial teach does not see… %p%"));
    } else {
        progress_->hide();
        result_->setText(report.error.isEmpty() ? tr("Teaching stopped; the model is as it was.") : report.error);
    }
}

void MyDrawingsPanel::onMeasured(const HeldOut& heldOut) {
    progress_->hide();
    progress_->setFormat(tr("Teaching… %p%"));
    if (heldOut.drawings && !teachOutdated())
        result_->setText(result_->text() + " " +
                         tr("On %1 a trial teach did not see: %2% before, %3% after.")
                             .arg(count_of(heldOut.drawings, tr("drawing"), tr("drawings")))
                             .arg(100 * heldOut.before, 0, 'f', 0)
                             .arg(100 * heldOut.after, 0, 'f', 0));
    updateButtons();
    if (std::exchange(teachAgain_, false)) teachNow();
}

void MyDrawingsPanel::updateButtons() {
    const bool any = !drawings_.isEmpty();
    const bool teaching = teacher_.isTeaching();
    teach_->setText(teaching ? tr("&Stop Teaching") : tr("Teach &Now"));
    teach_->setToolTip(teaching ? tr("Stop teaching: a teach not finished leaves the model as it was")
                                : tr("Teach the model your drawings (it starts from the model you chose)"));
    teach_->setEnabled(teaching || (any && allowed_));
    revert_->setEnabled(revertible_ && !teacher_.isTeaching());
    remove_->setEnabled(!list_->selectedItems().isEmpty());
    clear_->setEnabled(any);
    export_->setEnabled(any);
}

}  // namespace digitpad

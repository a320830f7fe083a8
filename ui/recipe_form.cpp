#include "recipe_form.h"

#include "dataset.h"
#include "engine/bf16_products.h"
#include "remembered_recipe.h"
#include "stroke_file.h"
#include "threads.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace digitpad {
namespace {

// "1 to 65,536", "0.0001 to 1,000,000": a spin box's range as a person reads it.
QString range_text(const QAbstractSpinBox* box) {
    const QLocale locale;
    auto number = [&](double v) { return locale.toString(v, 'f', QLocale::FloatingPointShortest); };
    if (const auto* b = qobject_cast<const QSpinBox*>(box)) return QObject::tr("%1 to %2").arg(number(b->minimum()), number(b->maximum()));
    const auto* d = qobject_cast<const QDoubleSpinBox*>(box);
    return d ? QObject::tr("%1 to %2").arg(number(d->minimum()), number(d->maximum())) : QString();
}


const char* const kFolderKey = "training/dataFolder";
const char* const kDrawingsKey = "training/drawingsFile";
const QString kChooseFolder = QStringLiteral("choose");
const char* const kChoiceKey = "training/dataChoice";  // the data the last run used: sample or folder

// The η an optimizer suggests when it is picked.
double suggested_eta(const QString& optimizer) {
    return optimizer == "adam" ? 0.001 : optimizer == "sgd" ? 0.1 : 0.05;
}

}  // namespace

QString RecipeForm::sampleDataFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/DigitPad/mnist-sample";
}

RecipeForm::RecipeForm(QWidget* parent)
    : QWidget(parent),
      source_(new QComboBox),
      drawings_(new QComboBox),
      drawnShare_(new QDoubleSpinBox),
      drawnCopies_(new QSpinBox),
      hidden_(new QLineEdit("800")),
      optimizer_(new QComboBox),
      eta_(new QDoubleSpinBox),
      batch_(new QSpinBox),
      epochs_(new QSpinBox),
      seed_(new QSpinBox),
      augment_(new QCheckBox(tr("Distort digits"))),
      deskew_(new QCheckBox(tr("Des&kew"))),
      bf16_(new QCheckBox(tr("BF16 products"))),
      schedule_(new QComboBox),
      threads_(new QComboBox),
      dropout_(new QDoubleSpinBox),
      warmup_(new QDoubleSpinBox),
      weightDecay_(new QDoubleSpinBox) {
    setUpFields();
    layOut();
    sayWhatRefusedValuesTake();
    // The defaults are the recipe of the built-in model; the η that the optimizer box suggests
    // follows the choice of optimizer.
    setRequest({{}, remembered_recipe(Recipe::built_in())});
}

void RecipeForm::setUpFields() {
    hidden_->setToolTip(tr("Hidden layer sizes, comma separated: 800 is the paper's network; 256,128 has two; none has none"));
    optimizer_->addItem(tr("SGD (the paper's)"), "sgd");
    optimizer_->addItem(tr("Momentum"), "momentum");
    optimizer_->addItem(tr("Nesterov momentum"), "nesterov");
    optimizer_->addItem(tr("Adam"), "adam");
    eta_->setDecimals(4);
    // Wide enough for every experiment, divergence included (the NaN rollback needs an η far
    // past any useful one); the memory check at Start guards the batch.
    eta_->setRange(0.0001, 1e6);
    eta_->setSingleStep(0.01);
    eta_->setValue(0.05);
    eta_->setToolTip(tr("Learning rate η in a ← a − η∇a (0.0001 to 1,000,000)"));
    batch_->setRange(1, 65536);
    batch_->setValue(64);
    epochs_->setRange(1, 100000);
    epochs_->setValue(100);
    seed_->setRange(0, 1'000'000);
    seed_->setValue(1);
    augment_->setToolTip(tr("Train on digits distorted afresh every batch: rotated, scaled, sheared, shifted, "
                            "elastically warped, with thicker or thinner strokes. Slower to learn, better on drawings."));
    deskew_->setToolTip(tr("Shear every digit towards upright before the network reads it, in training and in "
                           "every reading after (the model keeps it): people's slants matter less"));
    bf16_->setToolTip(bf16_available()
                          ? tr("Multiply the input by the first layer in BF16, summing in FP32. With AMX (Xeon 4th "
                               "generation and later) it trains faster than FP32 from batch 64 up; accuracy "
                               "stays within 0.1%")
                          : tr("Needs a CPU with BF16 arithmetic (AVX512-BF16 or AMX); this one has none"));
    threads_->addItem(tr("Auto"), 0);
    for (int t = 1; t <= core_count(); ++t)
        threads_->addItem(QString::number(t), t);
    threads_->setToolTip(tr("Auto uses every core, and one thread while another program keeps a core busy and one "
                            "thread is faster; it checks again every few seconds"));
    schedule_->addItem(tr("Constant"), "constant");
    schedule_->addItem(tr("Step (×0.1 at 50% and 75%)"), "step");
    schedule_->addItem(tr("Cosine decay"), "cosine");
    warmup_->setRange(0, 100);
    warmup_->setDecimals(1);
    warmup_->setSuffix(tr(" epochs"));
    warmup_->setToolTip(tr("η grows linearly from η/10 over these first epochs"));
    weightDecay_->setRange(0, 0.1);
    weightDecay_->setDecimals(5);
    weightDecay_->setSingleStep(0.0001);
    weightDecay_->setToolTip(tr("L2 weight decay λ: every step also shrinks the weights by ηλ"));
    schedule_->setToolTip(tr("How η changes over the run"));
    dropout_->setRange(0, 0.9);
    dropout_->setSingleStep(0.1);
    dropout_->setDecimals(2);
    dropout_->setToolTip(tr("Share of hidden units switched off at random in each training batch"));
    // Picking an optimizer suggests its η, unless the person typed one of their own.
    connect(optimizer_, &QComboBox::currentIndexChanged, this, [this] {
        if (std::abs(eta_->value() - suggested_eta(optimizerShown_)) < 1e-9)
            eta_->setValue(suggested_eta(optimizer_->currentData().toString()));
        optimizerShown_ = optimizer_->currentData().toString();
    });
    connect(source_, &QComboBox::activated, this, [this] {
        if (source_->currentData().toString() == kChooseFolder) chooseFolder();
    });
    refreshSources();
    drawings_->setToolTip(tr("Pen-drawn digits to learn from beside the scans (JSON Lines, the --classify-strokes "
                             "format), rendered as the canvas renders a drawing. The built-in model learnt from "
                             "UNIPEN's train.jsonl: choose it to train as it did"));
    connect(drawings_, &QComboBox::activated, this, [this] {
        if (drawings_->currentData().toString() == kChooseFolder) chooseDrawings();
        enableDrawnFields();
    });
    refreshDrawings();
    drawnShare_->setRange(0.05, 0.85);
    drawnShare_->setSingleStep(0.05);
    drawnShare_->setDecimals(2);
    drawnShare_->setToolTip(tr("The drawings' share of every batch; the traced scans take 8%, the scans the rest"));
    drawnCopies_->setRange(1, 50);
    drawnCopies_->setPrefix(tr("× "));
    drawnCopies_->setToolTip(tr("Renderings of every drawing: one as drawn, the others distorted in stroke space "
                                "(rotated, slanted, warped, with another pen, ends cut or drawn on)"));
}

void RecipeForm::layOut() {
    // Two columns of label and field, in a column that the panel puts in a scroll area.
    auto* form = new QGridLayout;
    form->setHorizontalSpacing(8);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);
    form->setColumnMinimumWidth(2, 0);
    int row = 0;
    // A label (its mnemonic focuses `buddy`) and a field or a row of fields, in `column` 0 or
    // 1, or across both (`span`).
    auto place = [&](const QString& text, QWidget* buddy, QWidget* widget, QLayout* layout, int column, bool span) {
        auto* label = new QLabel(text);
        label->setBuddy(buddy);
        form->addWidget(label, row, column * 2);
        const int columns = span ? 3 : 1;
        if (layout)
            form->addLayout(layout, row, column * 2 + 1, 1, columns);
        else
            form->addWidget(widget, row, column * 2 + 1, 1, columns);
    };
    auto field = [&](const QString& text, QWidget* widget, int column) { place(text, widget, widget, nullptr, column, false); };
    auto wide = [&](const QString& text, QWidget* widget) { place(text, widget, widget, nullptr, 0, true), ++row; };
    wide(tr("&Data"), source_);
    // The drawings, their share and their renderings on one row.
    auto* drawn = new QHBoxLayout;
    drawn->addWidget(drawings_, 3);
    drawn->addWidget(drawnShare_, 2);
    drawn->addWidget(drawnCopies_, 2);
    place(tr("Dra&wings"), drawings_, nullptr, drawn, 0, true), ++row;
    field(tr("Hidden &layers"), hidden_, 0), field(tr("η s&chedule"), schedule_, 1), ++row;
    field(tr("Optimi&zer"), optimizer_, 0), field(tr("Warm-&up"), warmup_, 1), ++row;
    field(tr("Lear&ning rate η"), eta_, 0), field(tr("Wei&ght decay λ"), weightDecay_, 1), ++row;
    field(tr("&Batch size"), batch_, 0), field(tr("Dr&opout"), dropout_, 1), ++row;
    auto* inputs = new QHBoxLayout;
    inputs->setSpacing(6);
    inputs->addWidget(augment_);
    inputs->addSpacing(12);
    inputs->addWidget(deskew_, 1);
    field(tr("E&pochs"), epochs_, 0), place(tr("&Augmentation"), augment_, nullptr, inputs, 1, false), ++row;
    auto* precision = new QHBoxLayout;
    precision->setSpacing(6);
    precision->addWidget(bf16_, 1);
    precision->addSpacing(12);  // apart from the check box's text, as the grid's columns are
    auto* threadsLabel = new QLabel(tr("Th&reads"));
    threadsLabel->setBuddy(threads_);
    precision->addWidget(threadsLabel);
    precision->addWidget(threads_);
    field(tr("&Seed"), seed_, 0), place(tr("Prec&ision"), bf16_, nullptr, precision, 1, false), ++row;

    auto* formLayout = new QVBoxLayout(this);
    formLayout->setContentsMargins(0, 0, 4, 0);
    formLayout->addLayout(form);
    formLayout->addStretch();
}

void RecipeForm::sayWhatRefusedValuesTake() {
    const std::pair<QAbstractSpinBox*, QString> ranged[] = {
        {eta_, tr("Learning rate η")}, {batch_, tr("Batch size")},     {epochs_, tr("Epochs")},
        {seed_, tr("Seed")},           {warmup_, tr("Warm-up")},       {weightDecay_, tr("Weight decay λ")},
        {dropout_, tr("Dropout")},     {drawnShare_, tr("The drawings' share")}, {drawnCopies_, tr("Renderings")}};
    for (const auto& field : ranged) {
        QAbstractSpinBox* box = field.first;
        const QString name = field.second;
        connect(box->findChild<QLineEdit*>(), &QLineEdit::inputRejected, this,
                [this, box, name] { emit message(tr("%1 takes %2").arg(name, range_text(box))); });
    }
}

void RecipeForm::refreshSources() {
    const QString current = source_->currentData().toString();
    source_->clear();
    const QString sample = sampleDataFolder();
    if (has_mnist(sample.toStdString())) source_->addItem(tr("MNIST sample (10,000 digits)"), sample);
    const QString folder = QSettings().value(kFolderKey).toString();
    if (!folder.isEmpty() && folder != sample) source_->addItem(QDir::toNativeSeparators(folder), folder);
    source_->addItem(tr("Choose a folder with MNIST IDX files…"), kChooseFolder);
    // The data shown before, else the data the last run used (the sample or a folder), else
    // the folder last chosen.
    int index = current != kChooseFolder ? source_->findData(current) : -1;
    if (index < 0) index = source_->findData(QSettings().value(kChoiceKey).toString());
    if (index < 0) index = folder.isEmpty() ? 0 : source_->findData(folder);
    source_->setCurrentIndex(std::max(0, index));
}

void RecipeForm::setDataFolder(const QString& dir) {
    QSettings().setValue(kFolderKey, dir);
    refreshSources();
    source_->setCurrentIndex(source_->findData(dir));
}

QString RecipeForm::dataFolder() const {
    const QString d = source_->currentData().toString();
    return d == kChooseFolder ? QString() : d;
}

void RecipeForm::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with the four MNIST IDX files"));
    if (dir.isEmpty()) {
        refreshSources();
        return;
    }
    if (!has_mnist(dir.toStdString())) {
        emit message(tr("%1 does not hold train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                            "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (.gz or not).")
                             .arg(QDir::toNativeSeparators(dir)));
        refreshSources();
        return;
    }
    setDataFolder(dir);
}

void RecipeForm::refreshDrawings() {
    // The drawing chosen before stays; when the list is first filled, the file last chosen.
    const QString current = drawings_->count() ? drawings_->currentData().toString() : kChooseFolder;
    drawings_->clear();
    drawings_->addItem(tr("None: scans only"), QString());
    const QString file = QSettings().value(kDrawingsKey).toString();
    if (!file.isEmpty()) {
        drawings_->addItem(QFileInfo(file).fileName(), file);
        drawings_->setItemData(1, QDir::toNativeSeparators(file), Qt::ToolTipRole);
    }
    drawings_->addItem(tr("Choose a file of drawings (.jsonl)…"), kChooseFolder);
    const int keep = drawings_->findData(current);
    drawings_->setCurrentIndex(keep >= 0 && current != kChooseFolder ? keep : (file.isEmpty() ? 0 : 1));
    enableDrawnFields();
}

void RecipeForm::chooseDrawings() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Drawings to train on"), QString(), tr(kStrokeFileFilter));
    if (!file.isEmpty()) QSettings().setValue(kDrawingsKey, file);
    refreshDrawings();
    if (!file.isEmpty()) drawings_->setCurrentIndex(drawings_->findData(file));
}

TrainingRequest RecipeForm::request() const {
    TrainingRequest r;
    r.dataDir = dataFolder();
    Recipe& recipe = r.recipe;
    recipe.sizes = parse_hidden_sizes(hidden_->text().trimmed().toStdString());
    recipe.optimizer = optimizer_->currentData().toString().toStdString();
    recipe.eta = static_cast<float>(eta_->value());
    recipe.batch = static_cast<std::size_t>(batch_->value());
    recipe.epochs = epochs_->value();
    recipe.seed = static_cast<std::uint64_t>(seed_->value());
    recipe.augment = augment_->isChecked() ? std::optional(1.0) : std::nullopt;
    recipe.deskew = deskew_->isChecked() ? deskewShown_ : 0;
    recipe.schedule = parse_schedule(schedule_->currentData().toString().toStdString()).value_or(TrainingConfig::Schedule::constant);
    recipe.warmup_epochs = warmup_->value();
    recipe.weight_decay = static_cast<float>(weightDecay_->value());
    recipe.dropout = static_cast<float>(dropout_->value());
    recipe.precision = bf16_->isChecked() ? TrainingConfig::Precision::bf16 : TrainingConfig::Precision::fp32;
    recipe.threads = threads_->currentData().toInt();
    // What the form does not show (the traced scans and their share) comes from the last
    // request it was given: the built-in recipe's, unless another was set.
    DataRecipe& drawings = recipe.drawings;
    drawings = recipe_;
    const QString strokes = drawings_->currentData().toString();
    drawings.strokes = strokes == kChooseFolder ? std::string() : strokes.toStdString();
    drawings.distort_drawings = recipe.augment.has_value();
    drawings.stroke_copies = drawnCopies_->value();
    drawings.strokes_share = drawings.strokes.empty() ? 0 : drawnShare_->value();
    const double traced = drawings.traced > 0 ? drawings.traced_share : 0;
    drawings.scans_share = std::max(0.05, 1 - drawings.strokes_share - traced);
    return r;
}

void RecipeForm::setRequest(const TrainingRequest& request) {
    if (!request.dataDir.isEmpty()) setDataFolder(request.dataDir);
    const Recipe& r = request.recipe;
    QStringList hidden;
    for (std::size_t j = 1; j + 1 < r.sizes.size(); ++j) hidden << QString::number(r.sizes[j]);
    hidden_->setText(hidden.isEmpty() ? QStringLiteral("none") : hidden.join(','));
    optimizer_->setCurrentIndex(std::max(0, optimizer_->findData(QString::fromStdString(r.optimizer))));
    optimizerShown_ = optimizer_->currentData().toString();
    eta_->setValue(r.eta);  // after the optimizer, which may suggest its own η
    batch_->setValue(static_cast<int>(r.batch));
    epochs_->setValue(r.epochs);
    seed_->setValue(static_cast<int>(r.seed));
    augment_->setChecked(r.augment.has_value());
    deskew_->setChecked(r.deskew > 0);
    deskewShown_ = r.deskew > 0 ? r.deskew : kDeskew;
    schedule_->setCurrentIndex(std::max(0, schedule_->findData(QString::fromStdString(schedule_name(r.schedule)))));
    warmup_->setValue(r.warmup_epochs);
    weightDecay_->setValue(r.weight_decay);
    dropout_->setValue(r.dropout);
    bf16_->setChecked(r.precision == TrainingConfig::Precision::bf16 && bf16_available());
    threads_->setCurrentIndex(std::max(0, threads_->findData(r.threads)));
    recipe_ = r.drawings;
    const QString strokes = QString::fromStdString(r.drawings.strokes);
    if (!strokes.isEmpty()) {
        QSettings().setValue(kDrawingsKey, strokes);
        refreshDrawings();
        drawings_->setCurrentIndex(drawings_->findData(strokes));
    } else if (r.drawings.strokes_share == 0) {
        drawings_->setCurrentIndex(0);  // scans only; a recipe naming no file but a share takes the one shown
    }
    // Without drawings, the share a file chosen later starts from is the built-in recipe's.
    drawnShare_->setValue(r.drawings.strokes_share > 0 ? r.drawings.strokes_share
                                                       : Recipe::built_in().drawings.strokes_share);
    drawnCopies_->setValue(r.drawings.stroke_copies);
    enableDrawnFields();
}


void RecipeForm::remember(const TrainingRequest& request) {
    QSettings().setValue(kChoiceKey, request.dataDir);
    remember_recipe(request.recipe);
}

void RecipeForm::setEditable(bool on) {
    for (QWidget* w : std::initializer_list<QWidget*>{source_, drawings_, threads_, hidden_, optimizer_, eta_, batch_,
                                                   epochs_, seed_, augment_, deskew_, schedule_, dropout_, warmup_, weightDecay_})
        w->setEnabled(on);
    bf16_->setEnabled(on && bf16_available());
    enableDrawnFields(on);
}

void RecipeForm::enableDrawnFields(bool editable) {
    drawnShare_->setEnabled(editable && !drawings_->currentData().toString().isEmpty());
    drawnCopies_->setEnabled(drawnShare_->isEnabled());
}

}  // namespace digitpad

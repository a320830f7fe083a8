#include "remembered_recipe.h"

#include <QSettings>
#include <QStringList>

#include <algorithm>

namespace digitpad {
namespace {

const char* const kFormGroup = "training/form";  // the hyper-parameters of the last run

}  // namespace

void remember_recipe(const Recipe& r) {
    QSettings settings;
    settings.beginGroup(kFormGroup);
    QStringList sizes;
    for (int n : r.sizes) sizes << QString::number(n);
    settings.setValue("sizes", sizes.join(','));
    settings.setValue("optimizer", QString::fromStdString(r.optimizer));
    settings.setValue("eta", r.eta);
    settings.setValue("weightDecay", r.weight_decay);
    settings.setValue("batchSize", static_cast<int>(r.batch));
    settings.setValue("epochs", r.epochs);
    settings.setValue("seed", static_cast<quint64>(r.seed));
    settings.setValue("augment", r.augment.has_value());
    settings.setValue("schedule", QString::fromStdString(schedule_name(r.schedule)));
    settings.setValue("warmupEpochs", r.warmup_epochs);
    settings.setValue("dropout", r.dropout);
    settings.setValue("deskew", r.deskew);
    settings.setValue("bf16", r.precision == TrainingConfig::Precision::bf16);
    settings.setValue("threads", r.threads);
    settings.setValue("strokeCopies", r.drawings.stroke_copies);
    settings.setValue("strokesShare", r.drawings.strokes_share);
}

Recipe remembered_recipe(Recipe r) {
    QSettings settings;
    settings.beginGroup(kFormGroup);
    if (!settings.contains("optimizer")) return r;
    std::vector<int> sizes;
    for (const QString& n : settings.value("sizes").toString().split(',', Qt::SkipEmptyParts)) sizes.push_back(n.toInt());
    if (sizes.size() >= 2 && sizes.front() == kImagePixels && sizes.back() == kClasses) r.sizes = sizes;
    r.optimizer = settings.value("optimizer", QString::fromStdString(r.optimizer)).toString().toStdString();
    r.eta = settings.value("eta", r.eta).toFloat();
    r.weight_decay = settings.value("weightDecay", r.weight_decay).toFloat();
    r.batch = static_cast<std::size_t>(std::max(1, settings.value("batchSize", static_cast<int>(r.batch)).toInt()));
    r.epochs = settings.value("epochs", r.epochs).toInt();
    r.seed = settings.value("seed", static_cast<quint64>(r.seed)).toULongLong();
    r.augment = settings.value("augment", r.augment.has_value()).toBool() ? std::optional(1.0) : std::nullopt;
    r.schedule = parse_schedule(settings.value("schedule").toString().toStdString()).value_or(r.schedule);
    r.warmup_epochs = settings.value("warmupEpochs", r.warmup_epochs).toDouble();
    r.dropout = settings.value("dropout", r.dropout).toFloat();
    r.deskew = std::clamp(settings.value("deskew", r.deskew).toDouble(), 0.0, 1.0);
    r.precision = settings.value("bf16", false).toBool() ? TrainingConfig::Precision::bf16 : TrainingConfig::Precision::fp32;
    r.threads = settings.value("threads", r.threads).toInt();
    r.drawings.stroke_copies = settings.value("strokeCopies", r.drawings.stroke_copies).toInt();
    r.drawings.strokes_share = settings.value("strokesShare", r.drawings.strokes_share).toDouble();
    return r;
}

}  // namespace digitpad

// digitpad-cli teach: a model taught a person's drawings beside the built-in rehearsal digits.
#include "cli.h"

#include "model_io.h"
#include "stroke_dataset.h"
#include "stroke_file.h"
#include "teach.h"

#include <QCommandLineParser>

#include <cstdio>

namespace digitpad::cli {

int teach(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Teach a model a person's handwriting: fine-tune it on their drawings beside the "
                                "built-in rehearsal digits, as the app's Teach does.");
    p.addHelpOption();
    const TeachOptions defaults;
    p.addOptions({{"model", "The model to teach (default: the built-in model).", "file"},
                  {"drawings", "The person's labelled drawings (the --classify-strokes JSON Lines format).", "file.jsonl"},
                  {"out", "Where to save the taught model.", "file"},
                  {"seed", "Seed for the distortions and the batch order (default 1).", "s", "1"},
                  {"copies", QString("Distorted renderings of each drawing beside the one as drawn (default %1).")
                                 .arg(defaults.copies), "k", QString::number(defaults.copies)},
                  {"share", QString("The drawings' share of every batch, the rest rehearsal digits (default %1).")
                                .arg(defaults.personal_share), "s", QString::number(defaults.personal_share)},
                  {"epochs", QString("Passes over the rehearsal digits and the renderings (default %1).")
                                 .arg(defaults.epochs), "n", QString::number(defaults.epochs)},
                  {"batch", QString("Mini-batch size (default %1).").arg(defaults.batch), "b", QString::number(defaults.batch)},
                  {"lr", QString("Learning rate η of gradient descent (default %1).").arg(defaults.eta), "eta",
                   QString::number(defaults.eta)}});
    p.process(args);
    if (!p.isSet("drawings") || !p.isSet("out")) fail("teach needs --drawings FILE.jsonl and --out MODEL");
    bool ok = false;
    TeachOptions options = defaults;
    options.seed = static_cast<std::uint64_t>(to_int(p.value("seed"), "seed", 0));
    options.copies = to_int(p.value("copies"), "copies", 0);
    options.epochs = to_int(p.value("epochs"), "epochs", 1);
    options.batch = static_cast<std::size_t>(to_int(p.value("batch"), "batch", 1));
    options.personal_share = p.value("share").toDouble(&ok);
    if (!ok || !(options.personal_share > 0 && options.personal_share <= 1)) fail("--share needs a number in (0, 1]");
    options.eta = p.value("lr").toFloat(&ok);
    if (!ok || !(options.eta > 0)) fail("--lr needs a positive number");
    check_writable_destination(p.value("out"));
    const Model model = load_or_fail(p.isSet("model") ? p.value("model") : kDefaultModelPath);
    const StrokeSet set = read_stroke_file(p.value("drawings"));
    for (const QString& problem : set.problems)
        std::fprintf(stderr, "digitpad-cli: %s:%s (skipped)\n", p.value("drawings").toStdString().c_str(),
                     problem.toStdString().c_str());
    const Rehearsal rehearsal = builtin_rehearsal();
    const Teaching taught = teach(model.network, set.records, rehearsal.teach, options);
    if (taught.outcome != TrainingOutcome::finished) fail("teaching diverged; nothing saved");
    std::printf("taught %zu drawings in %.2f s\n", taught.drawings, taught.seconds);
    const Dataset drawn = render_drawings(set.records, "drawings");  // once, read by both models
    std::printf("on the taught drawings: %.2f%% before, %.2f%% after\n", 100 * evaluate(model.network, drawn).accuracy,
                100 * evaluate(taught.network, drawn).accuracy);
    if (const HeldOut held = held_out_accuracy(model.network, set.records, rehearsal.teach, options); held.drawings)
        std::printf("on %zu drawings held out of a trial teach: %.2f%% before, %.2f%% after\n", held.drawings,
                    100 * held.before, 100 * held.after);
    std::printf("on %zu rehearsal digits never taught: %.2f%% before, %.2f%% after\n", rehearsal.check.size(),
                100 * evaluate(model.network, rehearsal.check).accuracy,
                100 * evaluate(taught.network, rehearsal.check).accuracy);
    save_model(p.value("out").toStdString(), taught.network, taught_info(model.info, taught.drawings));
    std::printf("saved %s\n", p.value("out").toStdString().c_str());
    return 0;
}


}  // namespace digitpad::cli

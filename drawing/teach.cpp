#include "teach.h"

#include "count_of.h"
#include "stroke_dataset.h"

#include "optimizer.h"

#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

namespace digitpad {

Teaching teach(const Network& model, const std::vector<StrokeRecord>& drawings, const Dataset& rehearsal,
               const TeachOptions& options, TrainingControl* control, const std::function<void(double)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    RenderOptions render;
    render.distorted = options.copies;
    render.seed = options.seed;
    // The progress runs over the rendering and the training in proportion to their time: a
    // rendering takes about as long as kRenderingInRows training rows (4-9 measured, 2026-12-08,
    // two cores of a Zen 5 EPYC): 60 drawings spend about half their teach rendering, 3,000
    // three quarters (19 of 26 s).
    constexpr double kRenderingInRows = 6;
    const auto labelled = std::count_if(drawings.begin(), drawings.end(), [](const StrokeRecord& r) { return r.label.has_value(); });
    const double renderings = static_cast<double>(labelled) * (1.0 + options.copies);
    const double rows = static_cast<double>(options.epochs) * (renderings + static_cast<double>(rehearsal.size()));
    const double work = kRenderingInRows * renderings + rows;
    const double rendering_share = work > 0 ? kRenderingInRows * renderings / work : 0;
    const Progress rendering_progress = progress ? Progress([&](double done) { progress(rendering_share * done); }) : Progress();
    const Dataset personal = render_drawings(drawings, "your drawings", render, control ? &control->stop : nullptr, rendering_progress);
    Teaching result{model, TrainingOutcome::stopped, static_cast<std::size_t>(labelled), 0};
    if (control && control->stop) return result;
    if (personal.size() == 0) throw std::runtime_error("none of the drawings has a digit and ink to learn from");

    TrainingConfig config(options.epochs, options.batch, options.seed);
    config.auto_threads = true;
    const auto optimizer = make_optimizer("sgd", options.eta);
    Trainer trainer(result.network, *optimizer, config);
    if (progress)
        trainer.on_batch = [&](const BatchProgress& b) {
            progress(rendering_share +
                     (1 - rendering_share) *
                         (static_cast<double>(b.epoch - 1) * static_cast<double>(b.batches) + static_cast<double>(b.batch)) /
                         (static_cast<double>(options.epochs) * static_cast<double>(b.batches)));
        };
    std::array<bool, kClasses> taught{};
    for (std::uint8_t label : personal.labels) taught[label] = true;
    const double share = options.personal_share * static_cast<double>(std::count(taught.begin(), taught.end(), true)) / kClasses;
    std::vector<TrainingSource> sources{{&personal, share, false}};
    if (rehearsal.size() && share < 1) sources.push_back({&rehearsal, 1 - share, false});
    result.outcome = trainer.run(sources, nullptr, control);
    if (result.outcome != TrainingOutcome::finished) result.network = model;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

ModelInfo taught_info(const ModelInfo& model, std::size_t drawings) {
    ModelInfo info = model;
    info.recipe += (info.recipe.empty() ? "" : "; ") + ("taught on " + count_of(drawings, "drawing", "drawings")).toStdString();
    info.test_accuracy = -1;  // the model's own figure was measured before teaching changed it
    info.created = now_iso8601();
    return info;
}

HeldOut held_out_accuracy(const Network& model, const std::vector<StrokeRecord>& drawings, const Dataset& rehearsal,
                          const TeachOptions& options, TrainingControl* control,
                          const std::function<void(double)>& progress) {
    std::vector<StrokeRecord> labelled;
    for (const StrokeRecord& r : drawings)
        if (r.label) labelled.push_back(r);
    if (labelled.size() < 5) return {};
    BatchSampler order(labelled.size(), labelled.size(), options.seed + 1);
    order.shuffle();
    const auto shuffled = order.batch(0);
    std::vector<StrokeRecord> taught, held;
    for (std::size_t k = 0; k < shuffled.size(); ++k) (k % 5 == 0 ? held : taught).push_back(labelled[shuffled[k]]);
    const Teaching trial = teach(model, taught, rehearsal, options, control, progress);
    if (trial.outcome != TrainingOutcome::finished) return {};
    const Dataset rendered = render_drawings(held, "held out");  // once, read by both models
    if (rendered.size() == 0) return {held.size(), 0, 0};
    return {held.size(), evaluate(model, rendered).accuracy, evaluate(trial.network, rendered).accuracy};
}

double drawing_accuracy(const Network& network, const std::vector<StrokeRecord>& drawings) {
    const Dataset rendered = render_drawings(drawings, "drawings");
    return rendered.size() ? evaluate(network, rendered).accuracy : 0;
}

Rehearsal builtin_rehearsal() {
    // load_idx reads files; the resources are copied out once (about 0.8 MB, gzip-compressed).
    QTemporaryDir dir;
    const QString names[] = {"rehearsal-images-idx3-ubyte.gz", "rehearsal-labels-idx1-ubyte.gz"};
    for (const QString& name : names)
        if (!dir.isValid() || !QFile::copy(":/rehearsal/" + name, dir.filePath(name)))
            throw std::runtime_error("cannot unpack the built-in rehearsal digits into a temporary folder");
    Dataset all = load_idx(dir.filePath(names[0]).toStdString(), dir.filePath(names[1]).toStdString());
    all.name = "built-in rehearsal digits";
    auto [teach, check] = split_holdout(all, kRehearsalCheck, 1);
    return {std::move(teach), std::move(check)};
}

}  // namespace digitpad

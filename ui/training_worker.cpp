#include "training_worker.h"

#include "count_of.h"
#include "dataset.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace digitpad {

TrainingWorker::~TrainingWorker() {
    std::lock_guard lock(mutex_);
    mailbox_ = {};
    request_.reset();
}

void TrainingWorker::start(const TrainingRequest& request) {
    {
        std::lock_guard lock(mutex_);
        request_ = request;
        mailbox_ = {};
    }
    control_.stop.store(false);
    control_.pause.store(false);
    control_.steps.store(0);
    control_.to_epoch_end.store(false);
    control_.eta.store(0.0f);
    QMetaObject::invokeMethod(this, &TrainingWorker::run, Qt::QueuedConnection);
}

QString TestReport::title() const {
    return epoch > 0 ? QCoreApplication::translate("TestReport", "Epoch %1").arg(epoch)
                     : QCoreApplication::translate("TestReport", "On %1").arg(QString::fromStdString(digits->name));
}

TrainingUpdate TrainingWorker::takeUpdate() {
    std::lock_guard lock(mutex_);
    return std::exchange(mailbox_, {});
}

void TrainingWorker::post(const std::function<void(TrainingUpdate&)>& add, bool notify) {
    {
        std::lock_guard lock(mutex_);
        add(mailbox_);
    }
    if (notify) emit updated();
}

void TrainingWorker::finish(TrainingResult result) {
    post([&](TrainingUpdate& u) { u.result = std::move(result); }, true);
}

std::optional<std::pair<TrainingData, std::shared_ptr<const Dataset>>> TrainingWorker::load(
    const TrainingRequest& request) {
    try {
        Dataset train_set = load_mnist(request.dataDir.toStdString(), MnistPart::train);
        auto test_set = std::make_shared<const Dataset>(load_mnist(request.dataDir.toStdString(), MnistPart::test));
        const Recipe& recipe = request.recipe;
        // How far the drawings are, at most every kProgressIntervalMs, and each step's end.
        auto last = ProgressMeter::Clock::now() - std::chrono::milliseconds(kProgressIntervalMs);
        auto preparing = [&](Preparing step, double done) {
            const auto now = ProgressMeter::Clock::now();
            if (done < 1 && now - last < std::chrono::milliseconds(kProgressIntervalMs)) return;
            last = now;
            post([&](TrainingUpdate& u) { u.preparation = Preparation{step, done}; }, true);
        };
        return std::pair{TrainingData(std::move(train_set), recipe.drawings, recipe.seed, &control_.stop, preparing),
                         std::move(test_set)};
    } catch (const std::exception& e) {
        if (control_.stop.load())
            finish({TrainingEnd::stopped, nullptr, {}, tr("Stopped before training began.")});
        else
            finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
        return std::nullopt;
    }
}

void TrainingWorker::run() {
    using Clock = ProgressMeter::Clock;
    TrainingRequest request;
    {
        std::lock_guard lock(mutex_);
        if (!request_) return;
        request = *std::exchange(request_, std::nullopt);
    }
    const Recipe& recipe = request.recipe;
    if (const auto why = recipe.problem()) return finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(*why)});
    auto loaded = load(request);
    if (!loaded) return;
    TrainingData& data = loaded->first;
    const std::shared_ptr<const Dataset> test_digits = loaded->second;
    const Dataset& test_set = *test_digits;
    const std::vector<TrainingSource> sources = data.sources();
    const auto batches_per_epoch = static_cast<qint64>(MixedBatches(sources, recipe.batch, recipe.seed).batch_count());

    // The canvas reads the untrained network at once, then a copy every kSnapshotIntervalMs:
    // the last finite one is also where divergence rolls back to.
    auto last_finite = std::make_shared<const Network>(recipe.sizes, recipe.seed);
    post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, true);
    auto last_snapshot = Clock::now();
    ProgressMeter meter(recipe.epochs, batches_per_epoch, recipe.batch, std::chrono::milliseconds(kProgressIntervalMs),
                        last_snapshot);
    auto report = [&](Clock::time_point now) {
        if (auto p = meter.report(now)) post([&](TrainingUpdate& u) { merge_progress(u.progress, *p); }, true);
    };
    TrainingListener listener;
    listener.on_batch = [&](const BatchProgress& p, const Network& net) {
        meter.add(p);
        const auto now = Clock::now();
        if (now - last_snapshot >= std::chrono::milliseconds(kSnapshotIntervalMs) && std::isfinite(p.loss) &&
            p.loss <= kDivergedLoss && net.all_finite()) {
            last_finite = std::make_shared<const Network>(net);
            post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, false);
            last_snapshot = now;
        }
        if (meter.due(now)) report(now);
    };
    listener.on_epoch = [&](const EpochResult& r, const Network& net) {
        report(Clock::now());
        const EpochSummary summary{r.epoch, meter.done() - 1, r.train_loss, r.test.loss, r.test.accuracy, r.seconds};
        auto tested = r.has_test ? std::make_shared<const TestReport>(
                                       TestReport{r.epoch, r.test, test_digits, std::make_shared<const Network>(net)})
                                 : nullptr;
        post([&](TrainingUpdate& u) {
            u.epochs.push_back(summary);
            if (tested) u.report = tested;
        }, true);
    };
    try {
        TrainedModel trained = train_model(recipe, sources, data.name(), test_set, &control_, listener);
        report(Clock::now());
        finish(result_of(std::move(trained), test_set, meter.done(), last_finite));
    } catch (const std::exception& e) {
        finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
    }
}

TrainingResult TrainingWorker::result_of(TrainedModel trained, const Dataset& test_set, qint64 batches,
                                         std::shared_ptr<const Network> rolled_back) {
    ModelInfo& info = trained.info;
    const QString done = count_of(static_cast<std::size_t>(batches), tr("batch"), tr("batches"));  // "37 batches"
    switch (trained.outcome) {
    case TrainingOutcome::finished:
        return {TrainingEnd::finished, std::make_shared<const Network>(std::move(trained.network)), info,
                tr("Training finished: %1% on the test set.").arg(100.0 * info.test_accuracy, 0, 'f', 2)};
    case TrainingOutcome::stopped:
        info.test_accuracy = evaluate(trained.network, test_set).accuracy;
        return {TrainingEnd::stopped, std::make_shared<const Network>(std::move(trained.network)), info,
                tr("Training stopped after %1: %2% on the test set.")
                    .arg(done)
                    .arg(100.0 * info.test_accuracy, 0, 'f', 2)};
    case TrainingOutcome::diverged:
        info.test_accuracy = evaluate(*rolled_back, test_set).accuracy;
        return {TrainingEnd::diverged, std::move(rolled_back), info,
                tr("Training diverged: the loss exploded (NaN, infinite or above 1000) after %1. The model was rolled "
                   "back to its last weights from before. Try a smaller learning rate η.")
                    .arg(done)};
    }
    return {};
}

}  // namespace digitpad

#include "training_worker.h"

#include "dataset.h"

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
    QMetaObject::invokeMethod(this, &TrainingWorker::run, Qt::QueuedConnection);
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

void TrainingWorker::run() {
    using Clock = std::chrono::steady_clock;
    TrainingRequest request;
    {
        std::lock_guard lock(mutex_);
        if (!request_) return;
        request = *std::exchange(request_, std::nullopt);
    }
    auto finish = [this](TrainingResult result) {
        post([&](TrainingUpdate& u) { u.result = std::move(result); }, true);
    };

    const Recipe& recipe = request.recipe;
    if (const auto why = recipe.problem()) {
        finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(*why)});
        return;
    }
    Dataset test_set;
    std::optional<TrainingData> data;
    try {
        Dataset train_set = load_mnist(request.dataDir.toStdString(), MnistPart::train);
        test_set = load_mnist(request.dataDir.toStdString(), MnistPart::test);
        data.emplace(std::move(train_set), recipe.drawings, recipe.seed, &control_.stop);
    } catch (const std::exception& e) {
        if (control_.stop.load())
            finish({TrainingEnd::stopped, nullptr, {}, tr("Stopped before training began.")});
        else
            finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
        return;
    }

    const std::vector<TrainingSource> sources = data->sources();
    const qint64 batches_per_epoch = static_cast<qint64>(MixedBatches(sources, recipe.batch, recipe.seed).batch_count());
    const qint64 total_batches = batches_per_epoch * recipe.epochs;

    std::shared_ptr<const Network> last_finite = std::make_shared<const Network>(recipe.sizes, recipe.seed);
    post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, true);

    const auto start = Clock::now();
    auto last_progress = start, last_snapshot = start;
    TrainingProgress pending;
    pending.epochs = recipe.epochs;
    pending.batchesPerEpoch = batches_per_epoch;
    qint64 done = 0;
    double batches_per_second = 0;  // a moving average, so that a pause fades out of it

    // Moves the batch losses gathered so far into the mailbox.
    auto flush = [&](Clock::time_point now) {
        if (pending.losses.isEmpty()) return;
        const double dt = std::chrono::duration<double>(now - last_progress).count();
        const double rate = dt > 0 ? pending.losses.size() / dt : 0;
        batches_per_second = batches_per_second == 0 ? rate : 0.8 * batches_per_second + 0.2 * rate;
        pending.samplesPerSecond = batches_per_second * static_cast<double>(recipe.batch);
        pending.secondsLeft = batches_per_second > 0 ? (total_batches - done) / batches_per_second : 0;
        post([&](TrainingUpdate& u) {
            if (u.progress) {
                const QVector<float> earlier = std::move(u.progress->losses);
                const qint64 first = u.progress->firstBatch;
                u.progress = pending;
                u.progress->firstBatch = first;
                u.progress->losses = earlier + pending.losses;
            } else {
                u.progress = pending;
            }
        }, true);
        pending.firstBatch = done;
        pending.losses.clear();
        last_progress = now;
    };

    TrainingListener listener;
    listener.on_batch = [&](const BatchProgress& p, const Network& net) {
        pending.epoch = p.epoch;
        pending.batch = static_cast<qint64>(p.batch);
        pending.losses.push_back(p.loss);
        ++done;
        const auto now = Clock::now();
        if (now - last_snapshot >= std::chrono::milliseconds(kSnapshotIntervalMs) && std::isfinite(p.loss) &&
            p.loss <= kDivergedLoss && net.all_finite()) {
            last_finite = std::make_shared<const Network>(net);
            post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, false);
            last_snapshot = now;
        }
        if (now - last_progress >= std::chrono::milliseconds(kProgressIntervalMs)) flush(now);
    };
    listener.on_epoch = [&](const EpochResult& r, const Network&) {
        flush(Clock::now());
        const EpochSummary summary{r.epoch, done - 1, r.train_loss, r.test.loss, r.test.accuracy, r.seconds};
        post([&](TrainingUpdate& u) { u.epochs.push_back(summary); }, true);
    };

    std::optional<TrainedModel> trained;
    try {
        trained.emplace(train_model(recipe, sources, data->name(), test_set, &control_, listener));
    } catch (const std::exception& e) {
        finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
        return;
    }
    flush(Clock::now());
    ModelInfo& info = trained->info;
    switch (trained->outcome) {
    case TrainingOutcome::finished:
        finish({TrainingEnd::finished, std::make_shared<const Network>(std::move(trained->network)), info,
                tr("Training finished: %1% on the test set.").arg(100.0 * info.test_accuracy, 0, 'f', 2)});
        break;
    case TrainingOutcome::stopped:
        info.test_accuracy = evaluate(trained->network, test_set).accuracy;
        finish({TrainingEnd::stopped, std::make_shared<const Network>(std::move(trained->network)), info,
                tr("Training stopped after %n batch(es): %1% on the test set.", nullptr, static_cast<int>(done))
                    .arg(100.0 * info.test_accuracy, 0, 'f', 2)});
        break;
    case TrainingOutcome::diverged:
        info.test_accuracy = evaluate(*last_finite, test_set).accuracy;
        finish({TrainingEnd::diverged, last_finite, info,
                tr("Training diverged: the loss exploded (NaN, infinite or above 1000) after %n batch(es). The model "
                   "was rolled back to its last weights from before. Try a smaller learning rate η.",
                   nullptr, static_cast<int>(done))});
        break;
    }
}

}  // namespace digitpad

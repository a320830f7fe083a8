#include "training_worker.h"

#include "dataset.h"
#include "optimizer.h"
#include "threads.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace digitpad {

TrainingRequest TrainingRequest::builtIn() {
    TrainingRequest r;
    r.optimizer = "nesterov";
    r.eta = 0.05f;
    r.batchSize = 64;
    r.epochs = 60;
    r.augment = true;
    r.schedule = "cosine";
    r.drawings.strokeCopies = 10;
    r.drawings.traced = 1;
    r.drawings.scansShare = 0.35;
    r.drawings.strokesShare = 0.57;
    r.drawings.tracedShare = 0.08;
    r.drawings.distortDrawings = true;
    return r;
}

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

    Dataset test_set;
    std::optional<TrainingData> data;
    std::unique_ptr<Optimizer> optimizer;
    std::unique_ptr<Network> net;
    try {
        Dataset train_set = load_mnist(request.dataDir.toStdString(), MnistPart::train);
        test_set = load_mnist(request.dataDir.toStdString(), MnistPart::test);
        data.emplace(std::move(train_set), request.drawings, request.seed, &control_.stop);
        optimizer = make_optimizer(request.optimizer.toStdString(), request.eta, request.weightDecay);
        net = std::make_unique<Network>(request.sizes, request.seed);
    } catch (const std::exception& e) {
        if (control_.stop.load())
            finish({TrainingEnd::stopped, nullptr, {}, tr("Stopped before training began.")});
        else
            finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
        return;
    }

    TrainingConfig config{request.epochs, static_cast<std::size_t>(request.batchSize), request.seed};
    if (request.augment) config.augment = AugmentOptions{};
    config.schedule = parse_schedule(request.schedule.toStdString()).value_or(TrainingConfig::Schedule::constant);
    config.warmup_epochs = request.warmupEpochs;
    config.dropout = request.dropout;
    if (request.bf16) config.precision = TrainingConfig::Precision::bf16;
    config.auto_threads = request.threads == 0;
    set_compute_threads(std::min(request.threads, core_count()));
    std::optional<Trainer> made;
    try {
        made.emplace(*net, *optimizer, config);
    } catch (const std::exception& e) {  // BF16 asked for where there is none
        finish({TrainingEnd::failed, nullptr, {}, QString::fromStdString(e.what())});
        return;
    }
    Trainer& trainer = *made;
    const std::vector<TrainingSource> sources = data->sources();
    const qint64 batches_per_epoch = static_cast<qint64>(MixedBatches(sources, config.batch_size, config.seed).batch_count());
    const qint64 total_batches = batches_per_epoch * config.epochs;

    auto last_finite = std::make_shared<const Network>(*net);
    post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, true);

    const auto start = Clock::now();
    auto last_progress = start, last_snapshot = start;
    TrainingProgress pending;
    pending.epochs = config.epochs;
    pending.batchesPerEpoch = batches_per_epoch;
    qint64 done = 0;
    double batches_per_second = 0;  // a moving average, so that a pause fades out of it

    // Moves the batch losses gathered so far into the mailbox.
    auto flush = [&](Clock::time_point now) {
        if (pending.losses.isEmpty()) return;
        const double dt = std::chrono::duration<double>(now - last_progress).count();
        const double rate = dt > 0 ? pending.losses.size() / dt : 0;
        batches_per_second = batches_per_second == 0 ? rate : 0.8 * batches_per_second + 0.2 * rate;
        pending.samplesPerSecond = batches_per_second * static_cast<double>(config.batch_size);
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

    trainer.on_batch = [&](const BatchProgress& p) {
        pending.epoch = p.epoch;
        pending.batch = static_cast<qint64>(p.batch);
        pending.losses.push_back(p.loss);
        ++done;
        const auto now = Clock::now();
        if (now - last_snapshot >= std::chrono::milliseconds(kSnapshotIntervalMs) && std::isfinite(p.loss) &&
            p.loss <= kDivergedLoss && net->all_finite()) {
            last_finite = std::make_shared<const Network>(*net);
            post([&](TrainingUpdate& u) { u.snapshot = last_finite; }, false);
            last_snapshot = now;
        }
        if (now - last_progress >= std::chrono::milliseconds(kProgressIntervalMs)) flush(now);
    };
    double last_accuracy = -1;
    int epochs_done = 0;
    trainer.on_epoch = [&](const EpochResult& r) {
        flush(Clock::now());
        last_accuracy = r.test.accuracy;
        epochs_done = r.epoch;
        const EpochSummary summary{r.epoch, done - 1, r.train_loss, r.test.loss, r.test.accuracy, r.seconds};
        post([&](TrainingUpdate& u) { u.epochs.push_back(summary); }, true);
    };

    const TrainingOutcome outcome = trainer.run(sources, &test_set, &control_);
    flush(Clock::now());

    const std::string recipe = describe_recipe(request.optimizer.toStdString(), request.eta, request.weightDecay, config,
                                               request.augment ? std::optional<double>(1.0) : std::nullopt) +
                               request.drawings.describe();
    ModelInfo info{data->name(), static_cast<std::uint32_t>(epochs_done), last_accuracy, now_iso8601(), request.seed,
                   recipe};
    switch (outcome) {
    case TrainingOutcome::finished:
        finish({TrainingEnd::finished, std::make_shared<const Network>(std::move(*net)), info,
                tr("Training finished: %1% on the test set.").arg(100.0 * last_accuracy, 0, 'f', 2)});
        break;
    case TrainingOutcome::stopped:
        info.test_accuracy = evaluate(*net, test_set).accuracy;
        finish({TrainingEnd::stopped, std::make_shared<const Network>(std::move(*net)), info,
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

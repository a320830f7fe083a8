// Runs the core trainer on its own thread and keeps what the UI should see in a mailbox.
//
// The worker lives on a QThread (moveToThread). Its loop keeps that thread busy, so control
// goes through thread-safe calls, not slots: start() hands over a request, setPaused() and
// stop() set atomics that the loop polls between batches. News flows the other way through
// takeUpdate(): the worker merges batch losses, epoch results and weight snapshots under a
// mutex that is only ever held for a copy, and emits updated() (no payload, at most ~30 a
// second) so that the UI thread comes to take them.
#pragma once

#include "evaluation.h"
#include "model_file.h"
#include "network.h"
#include "progress_meter.h"
#include "recipe.h"
#include "trainer.h"
#include "training_data.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <memory>
#include <mutex>
#include <optional>

namespace digitpad {

// A run the app asks for: the recipe (recipe.h) and the folder of the scans it learns from.
struct TrainingRequest {
    QString dataDir;  // a folder with the four MNIST-style IDX files
    Recipe recipe;
};

struct EpochSummary {
    int epoch = 0;
    qint64 lastBatch = 0;  // global index of the epoch's last batch
    double trainLoss = 0, testLoss = 0, testAccuracy = 0;
    double seconds = 0;
};

// The test set's verdict on the network at the end of an epoch, for the views inside it:
// the confusion matrix and the digits it gets wrong, with the weights it was made with.
struct TestReport {
    int epoch = 0;
    Evaluation evaluation;
    std::shared_ptr<const Dataset> digits;     // the test set the mistakes index
    std::shared_ptr<const Network> network;    // the epoch's weights

    // What it is of, as the views name it: "Epoch 3", or "On mnist (test)" for epoch 0, a test of
    // the model in use.
    QString title() const;
};

enum class TrainingEnd { finished, stopped, diverged, failed };

struct TrainingResult {
    TrainingEnd end = TrainingEnd::failed;
    // The model to keep: the trained one, the last batch's on stop, the last finite snapshot
    // after divergence; null when training never began.
    std::shared_ptr<const Network> network;
    ModelInfo info;
    QString message;
};

// How far making the run's drawing sources is, before its first batch.
struct Preparation {
    Preparing step;
    double done;  // of that step, 0 to 1
};

// Everything new since the last takeUpdate().
struct TrainingUpdate {
    std::optional<Preparation> preparation;   // the newest
    std::optional<TrainingProgress> progress;  // losses merged; figures the newest
    QVector<EpochSummary> epochs;
    std::shared_ptr<const Network> snapshot;  // read-only weights, newer than the last taken
    std::shared_ptr<const TestReport> report;  // the newest epoch's, newer than the last taken
    std::optional<TrainingResult> result;     // once, when training has ended
};

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kProgressIntervalMs = 33;   // ≤ 30 updates a second
    static constexpr int kSnapshotIntervalMs = 200;  // how often the UI gets fresh weights

    // The worker is destroyed on its own thread after the UI's last takeUpdate(): taking the
    // mutex orders the two (Qt's own thread hand-over is invisible to ThreadSanitizer).
    ~TrainingWorker() override;

    // Thread-safe. start() queues one run; the others take effect between batches.
    void start(const TrainingRequest& request);
    void setPaused(bool paused) { control_.pause.store(paused); }
    void stop() { control_.stop.store(true); }
    bool isPaused() const { return control_.pause.load(); }
    // While paused: one more batch, or the rest of the epoch (TrainingControl).
    void step() { control_.steps.fetch_add(1); }
    void stepEpoch() { control_.to_epoch_end.store(true); }
    // The base η from the next batch on.
    void setEta(float eta) { control_.eta.store(eta); }
    TrainingUpdate takeUpdate();

signals:
    void updated();

private slots:
    void run();

private:
    void post(const std::function<void(TrainingUpdate&)>& add, bool notify);
    void finish(TrainingResult result);
    // The run's scans and drawings, and the test scans; nullopt, with the run finished, when
    // they cannot be loaded (or the run was stopped while they loaded).
    std::optional<std::pair<TrainingData, std::shared_ptr<const Dataset>>> load(const TrainingRequest& request);
    // The end of a run as the UI shows it; `rolled_back` is the model divergence goes back to.
    TrainingResult result_of(TrainedModel trained, const Dataset& test_set, qint64 batches,
                             std::shared_ptr<const Network> rolled_back);

    TrainingControl control_;
    std::mutex mutex_;  // guards request_ and mailbox_
    std::optional<TrainingRequest> request_;
    TrainingUpdate mailbox_;
};

}  // namespace digitpad

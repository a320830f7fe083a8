// Runs the core trainer on its own thread and reports to the UI by queued signals.
//
// Lives on a QThread (moveToThread). train() runs the whole loop, so this thread's event
// loop is busy meanwhile: pause() and stop() are therefore plain thread-safe calls that set
// atomics the loop polls between batches, not slots.
#pragma once

#include "model_file.h"
#include "network.h"
#include "trainer.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QVector>

#include <memory>

namespace digitpad {

struct TrainingRequest {
    QString dataDir;                // a folder with the four MNIST-style IDX files
    std::vector<int> sizes{784, 800, 10};
    QString optimizer = "sgd";      // sgd, momentum, nesterov, adam
    float eta = 0.1f;
    float weightDecay = 0.0f;
    int batchSize = 32;
    int epochs = 5;
    quint64 seed = 1;
};

// A batch of progress, at most ~30 per second.
struct TrainingProgress {
    int epoch = 0, epochs = 0;
    qint64 batch = 0, batchesPerEpoch = 0;  // batch within the epoch, 1-based
    qint64 firstBatch = 0;                  // global index of losses[0] (0-based, across epochs)
    QVector<float> losses;                  // per-batch training losses since the last report
    double samplesPerSecond = 0;
    double secondsLeft = 0;
};

struct EpochSummary {
    int epoch = 0;
    qint64 lastBatch = 0;  // global index of the epoch's last batch
    double trainLoss = 0, testLoss = 0, testAccuracy = 0;
    double seconds = 0;
};

enum class TrainingEnd { finished, stopped, diverged, failed };

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kProgressIntervalMs = 33;   // ≤ 30 progress signals a second
    static constexpr int kSnapshotIntervalMs = 200;  // how often the UI gets fresh weights

    // Thread-safe; take effect between batches.
    void setPaused(bool paused) { control_.pause.store(paused); }
    void stop() { control_.stop.store(true); }
    bool isPaused() const { return control_.pause.load(); }

public slots:
    void train(const digitpad::TrainingRequest& request);

signals:
    void started(qint64 batchesPerEpoch, qint64 trainingSamples);
    void progress(const digitpad::TrainingProgress& progress);
    void epochFinished(const digitpad::EpochSummary& summary);
    // Read-only weights, safe to use from any thread.
    void snapshot(std::shared_ptr<const digitpad::Network> network);
    // The model to keep: the trained one, the last batch's on stop, the last finite
    // snapshot after divergence; null when training never began (failed).
    void finished(digitpad::TrainingEnd end, std::shared_ptr<const digitpad::Network> network,
                  const digitpad::ModelInfo& info, const QString& message);

private:
    TrainingControl control_;
};

}  // namespace digitpad

Q_DECLARE_METATYPE(digitpad::TrainingRequest)
Q_DECLARE_METATYPE(digitpad::TrainingProgress)
Q_DECLARE_METATYPE(digitpad::EpochSummary)
Q_DECLARE_METATYPE(digitpad::TrainingEnd)
Q_DECLARE_METATYPE(digitpad::ModelInfo)
Q_DECLARE_METATYPE(std::shared_ptr<const digitpad::Network>)

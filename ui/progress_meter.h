// What the training worker reports between batches, and when: the batch losses gathered since
// the last report, the speed and the time left. A report is due at most every interval (the UI
// needs no more than ~30 a second); the speed is a moving average, so a pause fades out of it.
#pragma once

#include "trainer.h"

#include <QVector>

#include <chrono>
#include <optional>

namespace digitpad {

struct TrainingProgress {
    int epoch = 0, epochs = 0;
    qint64 batch = 0, batchesPerEpoch = 0;  // batch within the epoch, 1-based
    qint64 firstBatch = 0;                  // global index of losses[0] (0-based, across epochs)
    QVector<float> losses;                  // per-batch training losses since the last update
    double samplesPerSecond = 0;
    double secondsLeft = 0;
};

// A report not yet taken, followed by a newer one: the losses of both, the newer figures.
void merge_progress(std::optional<TrainingProgress>& unread, const TrainingProgress& newer);

class ProgressMeter {
public:
    using Clock = std::chrono::steady_clock;

    ProgressMeter(int epochs, qint64 batches_per_epoch, std::size_t batch_size, Clock::duration interval,
                  Clock::time_point start);

    void add(const BatchProgress& batch);  // one more batch done
    bool due(Clock::time_point now) const { return now - last_report_ >= interval_; }
    // The batches added since the last report, with the speed and the time left as of `now`;
    // nullopt when there are none.
    std::optional<TrainingProgress> report(Clock::time_point now);
    qint64 done() const { return done_; }  // batches, across epochs

private:
    TrainingProgress pending_;
    qint64 total_, done_ = 0;
    std::size_t batch_size_;
    Clock::duration interval_;
    Clock::time_point last_report_;
    double batches_per_second_ = 0;
};

}  // namespace digitpad

#include "progress_meter.h"

namespace digitpad {

void merge_progress(std::optional<TrainingProgress>& unread, const TrainingProgress& newer) {
    if (!unread) {
        unread = newer;
        return;
    }
    const QVector<float> earlier = std::move(unread->losses);
    const qint64 first = unread->firstBatch;
    unread = newer;
    unread->firstBatch = first;
    unread->losses = earlier + newer.losses;
}

ProgressMeter::ProgressMeter(int epochs, qint64 batches_per_epoch, std::size_t batch_size, Clock::duration interval,
                             Clock::time_point start)
    : total_(batches_per_epoch * epochs), batch_size_(batch_size), interval_(interval), last_report_(start) {
    pending_.epochs = epochs;
    pending_.batchesPerEpoch = batches_per_epoch;
}

void ProgressMeter::add(const BatchProgress& batch) {
    pending_.epoch = batch.epoch;
    pending_.batch = static_cast<qint64>(batch.batch);
    pending_.losses.push_back(batch.loss);
    ++done_;
}

std::optional<TrainingProgress> ProgressMeter::report(Clock::time_point now) {
    if (pending_.losses.isEmpty()) return std::nullopt;
    const double dt = std::chrono::duration<double>(now - last_report_).count();
    const double rate = dt > 0 ? pending_.losses.size() / dt : 0;
    batches_per_second_ = batches_per_second_ == 0 ? rate : 0.8 * batches_per_second_ + 0.2 * rate;
    pending_.samplesPerSecond = batches_per_second_ * static_cast<double>(batch_size_);
    pending_.secondsLeft = batches_per_second_ > 0 ? static_cast<double>(total_ - done_) / batches_per_second_ : 0;
    TrainingProgress out = pending_;
    pending_.firstBatch = done_;
    pending_.losses.clear();
    last_report_ = now;
    return out;
}

}  // namespace digitpad

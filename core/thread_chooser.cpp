#include "thread_chooser.h"

#include <algorithm>

namespace digitpad {

ThreadChooser::ThreadChooser(int max_threads, double probe_interval, int probe_batches)
    : probe_interval_(probe_interval), probe_batches_(std::max(1, probe_batches)) {
    max_threads = std::max(1, max_threads);
    candidates_.push_back({max_threads});
    if (max_threads > 1) candidates_.push_back({1});
}

int ThreadChooser::threads() const { return candidates_[current_].threads; }

void ThreadChooser::pick_best() {
    best_ = 0;
    for (std::size_t i = 1; i < candidates_.size(); ++i)
        if (candidates_[i].seconds_per_sample < candidates_[best_].seconds_per_sample) best_ = i;
}

void ThreadChooser::record(double seconds, int samples) {
    if (candidates_.size() == 1 || samples <= 0) return;
    if (skip_) {  // the first batch after a switch wakes the other threads: not a fair sample
        skip_ = false;
        return;
    }
    window_seconds_ += seconds;
    window_.push_back(seconds / samples);
    // Measured in windows of a few batches and at least kMinWindow seconds, by the median batch:
    // a moment of other work (the UI painting its chart) must not decide, a lasting load must.
    if (static_cast<int>(window_.size()) < probe_batches_ || window_seconds_ < kMinWindow) return;
    std::nth_element(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(window_.size() / 2), window_.end());
    candidates_[current_].seconds_per_sample = window_[window_.size() / 2];
    const double window = window_seconds_;
    window_seconds_ = 0;
    window_.clear();
    const std::size_t was = current_;
    if (probing_ && ++probed_ < candidates_.size()) {  // the next candidate of this round
        current_ = (current_ + 1) % candidates_.size();
        skip_ = true;
        return;
    }
    if (probing_)
        probing_ = false, since_probe_ = 0;
    else
        since_probe_ += window;
    pick_best();
    current_ = best_;
    if (since_probe_ >= probe_interval_) {  // time to try the others again
        probing_ = true;
        probed_ = 1;
        current_ = (best_ + 1) % candidates_.size();
    }
    skip_ = current_ != was;
}

}  // namespace digitpad

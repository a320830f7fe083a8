#include "batch_prefetcher.h"

#include <cassert>

namespace digitpad {

BatchPrefetcher::BatchPrefetcher(Make make) : make_(std::move(make)), thread_([this] { loop(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void BatchPrefetcher::request(std::size_t k) {
    {
        std::lock_guard lock(mutex_);
        assert(!wanted_ && !ready_);
        wanted_ = k;
    }
    changed_.notify_all();
}

void BatchPrefetcher::take(Matrix& X, std::vector<std::uint8_t>& y) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_; });
    X.swap(X_);
    y.swap(y_);
    ready_ = false;
}

void BatchPrefetcher::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return quit_ || wanted_.has_value(); });
        if (quit_) return;
        const std::size_t k = *wanted_;
        lock.unlock();
        make_(k, X_, y_);  // the caller touches X_ and y_ only in take(), after ready_
        lock.lock();
        wanted_.reset();
        ready_ = true;
        changed_.notify_all();
    }
}

}  // namespace digitpad

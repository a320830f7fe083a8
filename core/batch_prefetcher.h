// Makes the next mini-batch on a thread of its own while the caller trains on the current
// one, so that costly batches (distorted on the fly) overlap the matrix products.
#pragma once

#include "matrix.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace digitpad {

class BatchPrefetcher {
public:
    using Make = std::function<void(std::size_t k, Matrix& X, std::vector<std::uint8_t>& y)>;

    explicit BatchPrefetcher(Make make);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    void request(std::size_t k);                              // start making batch k
    void take(Matrix& X, std::vector<std::uint8_t>& y);      // wait for it; swapped into X and y

private:
    void loop();

    Make make_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<std::size_t> wanted_;
    bool ready_ = false, quit_ = false;
    Matrix X_;
    std::vector<std::uint8_t> y_;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace digitpad

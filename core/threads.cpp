#include "threads.h"

#include <Eigen/Core>

#include <thread>

namespace digitpad {

void set_compute_threads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
    Eigen::setNbThreads(threads);
}

int compute_threads() { return Eigen::nbThreads(); }

}  // namespace digitpad

#include "threads.h"

#include <Eigen/Core>

#include <algorithm>
#include <thread>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace digitpad {

int core_count() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void set_compute_threads(int threads) {
    if (threads <= 0) threads = core_count();
    Eigen::setNbThreads(threads);
}

int compute_threads() { return Eigen::nbThreads(); }

int compute_shares() { return std::max(compute_threads(), core_count()); }

void flush_denormals_to_zero() {
#if defined(__SSE__)
    constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;
    auto flush = [] { _mm_setcsr(_mm_getcsr() | kFlushToZero | kDenormalsAreZero); };
    flush();
#ifdef _OPENMP
#pragma omp parallel num_threads(compute_threads())
    flush();
#endif
#endif
}

}  // namespace digitpad
